/// The style sheet of a library site's index: the player's calm palette and system fonts, one
/// column of session cards on a phone and two or three on a wide screen, large touch targets.
/// (The player pages keep their own style sheet, `PlayerStyleSheet`, with a few site rules added.)
enum SiteStyleSheet {
    /// The page's background, also the web app's background and theme colour.
    static let background = "#f4f2ed"

    static let css = #"""
        :root {
          --bg: #f4f2ed; --card: #ffffff; --ink: #14171c; --muted: #4a515b; --soft: #ebe8e1; --accent: #17607a;
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
          padding: clamp(16px, 3vw, 40px) max(clamp(12px, 3vw, 40px), env(safe-area-inset-right))
                   calc(32px + env(safe-area-inset-bottom)) max(clamp(12px, 3vw, 40px), env(safe-area-inset-left));
        }
        .top { margin: 0 4px clamp(14px, 2.4vw, 26px); }
        h1 { margin: 0; font-size: clamp(1.6rem, 4.4vw, 2.6rem); line-height: 1.1; font-weight: 800; overflow-wrap: anywhere; }
        .summary { margin: 6px 0 0; color: var(--muted); font-size: clamp(1rem, 2vw, 1.15rem); font-weight: 600; }
        .sessions {
          list-style: none; margin: 0; padding: 0; display: grid; gap: clamp(12px, 1.8vw, 22px);
          grid-template-columns: repeat(auto-fill, minmax(min(100%, 380px), 1fr));
        }
        .session, .subscribe, .empty {
          background: var(--card); border-radius: 18px; min-width: 0;
          box-shadow: 0 1px 2px rgba(20, 23, 28, .07), 0 6px 20px rgba(20, 23, 28, .05);
        }
        .session { display: flex; flex-direction: column; gap: 10px; padding: clamp(16px, 2.4vw, 24px); }
        .session h2 { margin: 0; font-size: clamp(1.3rem, 3.2vw, 1.6rem); line-height: 1.15; font-weight: 750; overflow-wrap: anywhere; }
        .session h2 a { color: inherit; text-decoration: none; }
        .session h2 a:hover { text-decoration: underline; }
        .facts { margin: 0; color: var(--muted); font-weight: 650; font-variant-numeric: tabular-nums; }
        .about { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .actions { margin-top: auto; display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; padding-top: 6px; }
        .play {
          display: inline-flex; align-items: center; gap: 8px; min-height: 48px; padding: 0 20px 0 16px; border-radius: 999px;
          background: var(--ink); color: #fff; font-weight: 700; text-decoration: none; font-size: 1.05rem;
        }
        .play:hover { background: #2c323b; }
        .play svg { width: 22px; height: 22px; }
        .file {
          display: inline-flex; align-items: center; min-height: 48px; padding: 0 4px; color: var(--ink); font-weight: 600;
        }
        .offline { color: #2f7047; font-weight: 650; }
        .offline[hidden] { display: none; }
        a:focus-visible { outline: 3px solid #1d63d8; outline-offset: 3px; }
        .subscribe, .empty { margin-top: clamp(16px, 2.4vw, 28px); padding: clamp(16px, 2.4vw, 24px); }
        .subscribe h2 { margin: 0 0 6px; font-size: .85rem; font-weight: 750; letter-spacing: .09em; text-transform: uppercase; color: var(--muted); }
        .subscribe p { margin: 6px 0 0; }
        .feed { display: inline-block; padding: 8px 0; font-weight: 650; color: var(--ink); overflow-wrap: anywhere; word-break: break-all; }
        .note { color: var(--muted); }

        """#
}
