/// The player page's style sheet: calm, high-contrast dark on light, fluid type (`clamp()`), one
/// column on a phone and two on a wide screen, large touch targets. System fonts only.
enum PlayerStyleSheet {
    static let css = #"""
        :root {
          --bg: #f4f2ed; --card: #ffffff; --ink: #14171c; --muted: #4a515b; --soft: #ebe8e1;
          --accent: #5b6470;
          color-scheme: light;
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--ink);
          font: 400 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", sans-serif;
        }
        .page {
          max-width: 1480px; margin: 0 auto;
          padding: clamp(12px, 2.6vw, 32px) max(clamp(12px, 2.6vw, 32px), env(safe-area-inset-right))
                   calc(24px + env(safe-area-inset-bottom)) max(clamp(12px, 2.6vw, 32px), env(safe-area-inset-left));
        }
        .top {
          display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
          gap: 2px 16px; margin: 0 4px clamp(10px, 1.8vw, 18px);
        }
        h1 { margin: 0; font-size: clamp(1.1rem, 2.4vw, 1.6rem); font-weight: 700; overflow-wrap: anywhere; }
        .summary { margin: 0; color: var(--muted); font-size: clamp(.85rem, 1.8vw, 1rem); }
        .layout {
          display: grid; gap: clamp(12px, 1.8vw, 22px);
          grid-template-columns: minmax(0, 1fr);
          grid-template-areas: "now" "transport" "timeline" "info";
        }
        @media (min-width: 1000px) {
          .layout {
            grid-template-columns: minmax(0, 1fr) minmax(300px, 400px);
            grid-template-rows: auto auto auto 1fr;
            grid-template-areas: "now info" "transport info" "timeline info" ". info";
            align-items: start;
          }
        }
        .now, .transport, .timeline, .about, .steps {
          background: var(--card); border-radius: 18px;
          box-shadow: 0 1px 2px rgba(20, 23, 28, .07), 0 6px 20px rgba(20, 23, 28, .05);
        }

        /* What is happening now. */
        .now {
          grid-area: now; position: relative; overflow: hidden;
          padding: clamp(16px, 3.4vw, 40px); padding-top: calc(clamp(16px, 3.4vw, 40px) + 8px);
          display: grid; gap: clamp(8px, 1.4vw, 14px) 24px;
          grid-template-columns: minmax(0, 1fr);
          grid-template-areas: "activity" "name" "where" "count" "phase" "next";
        }
        @media (min-width: 1000px) { .now { padding: 32px 40px; padding-top: 40px; } }
        .now::before { content: ""; position: absolute; inset: 0 0 auto 0; height: 8px; background: var(--accent); }
        @media (min-width: 700px) {
          .now {
            grid-template-columns: minmax(0, 1fr) auto;
            grid-template-areas: "activity count" "name count" "where count" "phase phase" "next next";
            align-items: center;
          }
        }
        .now[data-kind="transition"] { --accent: #5b6470; }
        .now[data-kind="hold"] { --accent: #17607a; }
        .now[data-kind="breath"] { --accent: #5b3f8a; }
        .now[data-kind="rest"] { --accent: #2f7047; }
        .now[data-kind="switch"] { --accent: #9a5400; }
        .now[data-kind="tail"] { --accent: #14171c; }
        .now[data-kind="move"] { --accent: #8a3a62; }
        .now[data-kind="own_pace"] { --accent: #2e6669; }
        .now[data-kind="pause"] { --accent: #6b5a2e; }
        .activity { grid-area: activity; margin: 0; }
        .activity span {
          display: inline-block; background: var(--accent); color: #fff; border-radius: 999px;
          padding: .22em .75em; font-weight: 700; letter-spacing: .05em; text-transform: uppercase;
          font-size: clamp(1.05rem, 3.4vw, 1.6rem);
        }
        .step-name {
          grid-area: name; margin: 0; font-size: clamp(2rem, 6.4vw, 4.4rem); line-height: 1.06;
          font-weight: 800; letter-spacing: -.01em; overflow-wrap: anywhere;
        }
        .step-name[data-size="m"] { font-size: clamp(1.75rem, 4.8vw, 3.3rem); }
        .step-name[data-size="l"] { font-size: clamp(1.5rem, 3.8vw, 2.5rem); }
        .where {
          grid-area: where; margin: 0; min-height: 1.3em; display: flex; flex-wrap: wrap; gap: 0 .9em;
          font-size: clamp(1.2rem, 3.8vw, 2rem); font-weight: 650; color: var(--muted);
        }
        .where span:empty { display: none; }
        #side { color: var(--ink); }
        .count { grid-area: count; display: flex; align-items: baseline; gap: .4rem; justify-self: start; }
        @media (min-width: 700px) { .count { justify-self: end; flex-direction: column; align-items: flex-end; gap: 0; } }
        .countdown {
          font-size: clamp(5.5rem, min(28vw, 22vh), 12rem); line-height: .92; font-weight: 800;
          font-variant-numeric: tabular-nums; color: var(--accent); letter-spacing: -.02em;
        }
        .countdown[data-length="4"], .countdown[data-length="5"] { font-size: clamp(4rem, min(19vw, 15vh), 8.5rem); }
        .count-label { font-size: clamp(1rem, 3vw, 1.4rem); font-weight: 650; color: var(--muted); }
        .phase { grid-area: phase; height: 10px; border-radius: 5px; background: var(--soft); overflow: hidden; }
        .phase > div { height: 100%; background: var(--accent); transform-origin: 0 50%; transform: scaleX(0); }
        .next { grid-area: next; margin: 0; font-size: clamp(1.15rem, 3.6vw, 1.7rem); display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 .6em; }
        .next-label {
          font-size: .7em; font-weight: 750; letter-spacing: .09em; text-transform: uppercase; color: var(--muted);
        }
        #next { font-weight: 650; overflow-wrap: anywhere; min-width: 0; }

        /* Playback. */
        .transport { grid-area: transport; padding: clamp(12px, 2.2vw, 22px); display: grid; gap: 10px; }
        .times { display: flex; align-items: center; gap: 12px; font-variant-numeric: tabular-nums; color: var(--muted); font-weight: 600; }
        .times input { flex: 1; min-width: 0; height: 36px; margin: 0; accent-color: var(--ink); cursor: pointer; }
        .controls { display: flex; justify-content: center; align-items: center; gap: clamp(20px, 6vw, 48px); }
        .controls button {
          width: 64px; height: 64px; border-radius: 50%; border: 2px solid var(--ink);
          background: var(--card); color: var(--ink); display: grid; place-items: center; cursor: pointer; padding: 0;
          touch-action: manipulation;
        }
        .controls button.play { width: 84px; height: 84px; background: var(--ink); color: #fff; }
        .controls button.play svg { width: 36px; height: 36px; }
        .controls button:hover { background: var(--soft); }
        .controls button.play:hover { background: #2c323b; }
        .play .icon-pause, .play.playing .icon-play { display: none; }
        .play.playing .icon-pause { display: block; }
        button:focus-visible, input:focus-visible { outline: 3px solid #1d63d8; outline-offset: 3px; }
        .step-count { margin: 0; text-align: center; color: var(--muted); font-weight: 600; }
        @media (min-width: 1000px) {
          .transport { grid-template-columns: auto minmax(0, 1fr) auto; grid-template-areas: "controls times count"; align-items: center; gap: 28px; }
          .controls { grid-area: controls; gap: 20px; }
          .times { grid-area: times; }
          .step-count { grid-area: count; min-width: 7em; text-align: right; }
        }

        /* The whole session. */
        .timeline { grid-area: timeline; margin: 0; padding: clamp(8px, 1.4vw, 16px); }
        .timeline svg { display: block; width: 100%; height: auto; }
        @media (max-width: 699px) {
          /* On a phone the picture keeps a readable size and scrolls sideways, following the playhead. */
          .timeline { overflow-x: auto; overscroll-behavior-x: contain; -webkit-overflow-scrolling: touch; }
          .timeline svg { width: 780px; max-width: none; }
        }
        .timeline .step { cursor: pointer; }
        .timeline .step:hover .hit { fill-opacity: .05; }
        .timeline .step.current .outline { stroke: #14171c; stroke-width: 2.5px; }
        .timeline .step.current .label { font-weight: 700; }

        /* About and the list of steps. */
        .info { grid-area: info; display: grid; gap: clamp(12px, 1.8vw, 22px); align-content: start; min-width: 0; }
        .about, .steps { padding: clamp(14px, 2.2vw, 22px); }
        h3 { margin: 0 0 8px; font-size: .8rem; font-weight: 750; letter-spacing: .09em; text-transform: uppercase; color: var(--muted); }
        #about { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: clamp(1rem, 2.2vw, 1.12rem); }
        .steps ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 2px; }
        .steps button {
          width: 100%; min-height: 48px; padding: 8px 10px; border: 0; border-radius: 10px;
          display: grid; grid-template-columns: 2.2em minmax(0, 1fr) auto; gap: 8px; align-items: center;
          background: transparent; color: inherit; font: inherit; text-align: left; cursor: pointer;
        }
        .steps button:hover { background: var(--soft); }
        .steps .num { color: var(--muted); font-variant-numeric: tabular-nums; }
        .steps .name { overflow-wrap: anywhere; }
        .steps .at { color: var(--muted); font-variant-numeric: tabular-nums; }
        .steps li.current button { background: var(--ink); color: #fff; font-weight: 700; }
        .steps li.current .num, .steps li.current .at { color: #d5d9df; }
        audio { display: block; width: 100%; margin-top: 16px; }
        audio:not([controls]) { display: none; }
        @media (prefers-reduced-motion: reduce) { * { transition: none !important; } }

        """#
}
