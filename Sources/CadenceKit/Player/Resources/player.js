(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline').textContent);
  var audio = document.getElementById('audio');
  var rate = data.sample_rate;
  var steps = data.steps;
  var intervals = data.intervals;
  var totalSamples = data.total_samples;
  var total = totalSamples / rate;
  var count = intervals.length;
  var starts = new Float64Array(count);
  var i;
  for (i = 0; i < count; i++) { starts[i] = intervals[i].start; }

  /* Per step: whether it is paced by breaths, and how many sets and reps (or breaths) it has,
     in all and on each side (a side may have its own count). */
  var shape = steps.map(function () { return { breath: false, sets: 1, reps: 1, hold: 0, sided: false, perSide: {} }; });
  intervals.forEach(function (v) {
    if (v.step === null) { return; }
    var s = shape[v.step];
    if (!v.phase && (v.kind === 'inhale' || v.kind === 'exhale' || v.kind === 'hold_in' || v.kind === 'hold_out')) { s.breath = true; }
    if (v.phase) { s.tempo = true; }
    if ((v.kind === 'hold' || v.kind === 'own_pace' || v.kind === 'pause') && !v.phase && v.end - v.start > s.hold) { s.hold = v.end - v.start; }
    if (v.side !== null) { s.sided = true; }
    if (v.set !== null && v.set > s.sets) { s.sets = v.set; }
    if (v.rep !== null && v.rep > s.reps) { s.reps = v.rep; }
    if (v.rep !== null && v.rep > (s.perSide[v.side] || 0)) { s.perSide[v.side] = v.rep; }
  });

  /* What each step asks, besides its name: what the voice says (its announcement, without the
     round a circuit's first step names) and, in format 2, its instructions. */
  var said = steps.map(function () { return null; });
  data.cues.forEach(function (c) {
    if (c.type === 'announce' && c.step !== null && said[c.step] === null) { said[c.step] = c.text || ''; }
  });
  function sayText(step) {
    var s = steps[step], text = said[step] || '';
    if (s.circuit) {
      var round = 'Round ' + s.round + ' of ' + s.rounds + '. ';
      if (text.indexOf(round) === 0) { text = text.slice(round.length); }
    }
    return text === s.name ? '' : text;
  }
  function roundText(step) {
    var s = steps[step];
    return s && s.circuit ? 'Round ' + s.round + ' of ' + s.rounds + ' \u00b7 ' + s.circuit : '';
  }

  /* Where the page may wait for the person: at the end of every block of a self-paced step,
     LEAD seconds before it, so that the next sound (the stop that follows a block) starts whole
     after the tap. */
  var LEAD = 0.2;
  var waits = [];
  intervals.forEach(function (v, index) {
    if (v.kind === 'own_pace' && v.step !== null && steps[v.step].self_paced) {
      waits.push({ at: Math.max(v.start / rate, v.end / rate - LEAD), index: index });
    }
  });

  function byId(id) { return document.getElementById(id); }
  var ui = {
    now: byId('now'), activity: byId('activity'), name: byId('step-name'), side: byId('side'),
    setRep: byId('set-rep'), countdown: byId('countdown'), countdownLabel: byId('countdown-label'),
    phase: byId('phase-bar'), next: byId('next'), elapsed: byId('elapsed'), remaining: byId('remaining'),
    seek: byId('seek'), play: byId('play'), prev: byId('prev'), nextStep: byId('next-step'),
    stepCount: byId('step-count'), playhead: byId('cadence-playhead'),
    svg: document.querySelector('svg.cadence-timeline'), list: byId('step-list'),
    round: byId('round'), guide: byId('guide'), say: byId('say'), instructions: byId('instructions'),
    wait: byId('wait'), goOn: byId('go-on'), waitOption: byId('wait-option')
  };
  var x0 = parseFloat(ui.svg.getAttribute('data-x0'));
  var x1 = parseFloat(ui.svg.getAttribute('data-x1'));
  var stepGroups = [], stepItems = [];
  Array.prototype.forEach.call(ui.svg.querySelectorAll('g.step[data-step]'), function (g) {
    stepGroups[+g.getAttribute('data-step')] = g;
  });
  Array.prototype.forEach.call(ui.list.querySelectorAll('button[data-step]'), function (b) {
    stepItems[+b.getAttribute('data-step')] = b.parentNode;
  });

  var ACTIVITY = {
    transition: 'Get ready', hold: 'Hold', rest: 'Rest', 'switch': 'Switch sides',
    inhale: 'Breathe in', hold_in: 'Hold, lungs full', exhale: 'Breathe out', hold_out: 'Hold, lungs empty',
    tail: 'Done', move: 'Move', own_pace: 'At your own pace', pause: 'Pause'
  };
  var GROUP = {
    transition: 'transition', hold: 'hold', rest: 'rest', 'switch': 'switch',
    inhale: 'breath', hold_in: 'breath', exhale: 'breath', hold_out: 'breath', tail: 'tail',
    move: 'move', own_pace: 'own_pace', pause: 'pause'
  };

  /* A tempo phase is shown by its own name ("Pull", "Lower"). */
  function activity(v) {
    if (v.phase) { return v.phase; }
    if (v.kind === 'switch' && v.side) { return 'Switch to ' + v.side; }
    return ACTIVITY[v.kind] || v.kind;
  }
  function sideText(v) { return v.side === 'left' ? 'Left side' : v.side === 'right' ? 'Right side' : ''; }
  /* What a step holds in store, shown while getting ready for it: "2 × 15 s hold · each side · 2 sets". */
  function planText(step) {
    var s = shape[step], parts = [];
    if (s.breath) { parts.push(s.reps + (s.reps === 1 ? ' breath' : ' breaths')); }
    else if (s.tempo) { parts.push(s.reps + (s.reps === 1 ? ' rep' : ' reps')); }
    else if (steps[step].kind === 'own_pace') { parts.push(length(s.hold / rate) + ' at your own pace'); }
    else if (steps[step].kind === 'pause') { parts.push(length(s.hold / rate) + ' pause'); }
    else { parts.push((s.reps > 1 ? s.reps + ' \u00d7 ' : '') + length(s.hold / rate) + ' hold'); }
    if (s.sided) { parts.push('each side'); }
    if (s.sets > 1) { parts.push(s.sets + ' sets'); }
    return parts.join(' \u00b7 ');
  }
  function setRepText(v) {
    if (v.step === null) { return ''; }
    var s = shape[v.step], parts = [];
    if (v.kind === 'transition') { return planText(v.step); }
    var reps = s.perSide[v.side] || s.reps;
    if (v.set !== null && s.sets > 1) { parts.push('Set ' + v.set + ' of ' + s.sets); }
    if (v.rep !== null && s.reps > 1) { parts.push((s.breath ? 'Breath ' : 'Rep ') + v.rep + ' of ' + reps); }
    return parts.length ? parts.join(' \u00b7 ') : planText(v.step);
  }
  /* Long names get a smaller size so they stay on a few lines. */
  function nameSize(name) { return name.length > 40 ? 'l' : name.length > 20 ? 'm' : 's'; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds + 1e-6));
    return Math.floor(s / 60) + ':' + pad(s % 60);
  }
  function length(seconds) {
    var tenths = Math.round(seconds * 10);
    if (tenths < 600) { return (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)) + ' s'; }
    var s = Math.round(seconds), m = Math.floor(s / 60);
    return m + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  }
  function nextText(index) {
    var v = intervals[index], w = intervals[index + 1];
    if (!w || w.kind === 'tail') { return 'The end'; }
    if (w.step !== v.step) { return steps[w.step].name; }
    var text = activity(w);
    if (w.side && w.side !== v.side && w.kind !== 'switch') { text += ', ' + w.side + ' side'; }
    return text + ' \u00b7 ' + length((w.end - w.start) / rate);
  }

  /* The interval holding a sample: the last one starting at or before it. */
  function indexAt(sample) {
    var lo = 0, hi = count - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= sample) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  /* A seek asked for before the audio could take it (some phones load nothing before the first play). */
  var pendingSeek = null;
  function position() {
    if (pendingSeek !== null) { return pendingSeek; }
    var t = audio.currentTime;
    return isFinite(t) && t > 0 ? Math.min(t, total) : 0;
  }
  /* The step being played (steps.length during the tail). */
  function stepAt(t) {
    var v = intervals[indexAt(Math.min(Math.round(t * rate), totalSamples - 1))];
    return v.step === null ? steps.length : v.step;
  }

  var shown = {};
  function show(node, key, text) {
    if (shown[key] !== text) { shown[key] = text; node.textContent = text; }
  }
  var currentStep = -1;
  function markStep(step) {
    if (step === currentStep) { return; }
    if (stepGroups[currentStep]) { stepGroups[currentStep].classList.remove('current'); }
    if (stepItems[currentStep]) { stepItems[currentStep].classList.remove('current'); }
    currentStep = step;
    if (stepGroups[step]) { stepGroups[step].classList.add('current'); }
    if (stepItems[step]) { stepItems[step].classList.add('current'); }
    show(ui.stepCount, 'count', step < steps.length ? 'Step ' + (step + 1) + ' of ' + steps.length : 'Finished');
    if ('mediaSession' in navigator && typeof MediaMetadata === 'function') {
      try {
        navigator.mediaSession.metadata = new MediaMetadata({
          title: step < steps.length ? steps[step].name : 'Finished', artist: data.title, album: 'Cadence'
        });
      } catch (err) { /* not supported here */ }
    }
  }

  /* Where the picture is wider than its frame (a phone), keep the playhead in view, unless
     the person scrolled the picture in the last few seconds. */
  var figure = ui.svg.parentNode;
  var viewBoxWidth = ui.svg.viewBox && ui.svg.viewBox.baseVal ? ui.svg.viewBox.baseVal.width : 1000;
  var scrolledByUs = -1, scrolledByHand = -1e9;
  figure.addEventListener('scroll', function () {
    if (Math.abs(figure.scrollLeft - scrolledByUs) > 2) { scrolledByHand = Date.now(); }
  }, { passive: true });
  function followPlayhead(x) {
    if (figure.scrollWidth <= figure.clientWidth + 1 || Date.now() - scrolledByHand < 4000) { return; }
    var picture = ui.svg.getBoundingClientRect(), frame = figure.getBoundingClientRect();
    var px = picture.left + x / viewBoxWidth * picture.width;
    if (px < frame.left + 12 || px > frame.right - 12) {
      var target = Math.max(0, Math.min(figure.scrollWidth - figure.clientWidth,
        figure.scrollLeft + px - frame.left - frame.width * 0.3));
      scrolledByUs = Math.round(target);
      figure.scrollLeft = target;
    }
  }

  var seeking = false;
  function render() {
    var t = position();
    var sample = Math.round(t * rate);
    var finished = audio.ended || sample >= totalSamples;
    var index = indexAt(Math.min(sample, totalSamples - 1));
    var v = intervals[index];
    var kind = finished ? 'tail' : v.kind;
    var held = waiting !== null && !finished;
    ui.now.setAttribute('data-kind', held ? 'wait' : GROUP[kind]);
    if (ui.wait && ui.wait.hidden === held) {
      ui.wait.hidden = !held;
      ui.now.classList.toggle('waiting', held);
    }
    var doing = finished ? 'Done' : held ? 'Waiting for you' : activity(v);
    /* A long phase label ("Breathe out and bring the knee to your chest") is set as a sentence. */
    if (shown.activity !== doing) { ui.activity.setAttribute('data-long', doing.length > 20 ? 'true' : 'false'); }
    show(ui.activity, 'activity', doing);
    var step = finished ? null : v.step;
    if (ui.round) { show(ui.round, 'round', step === null ? '' : roundText(step)); }
    if (ui.guide) { showGuide(step); }
    var name = step === null ? 'Well done' : steps[step].name;
    if (shown.name !== name) { ui.name.setAttribute('data-size', nameSize(name)); }
    show(ui.name, 'name', name);
    show(ui.side, 'side', finished ? '' : sideText(v));
    show(ui.setRep, 'setRep', finished ? '' : setRepText(v));
    var left = finished ? 0 : Math.max(0, v.end / rate - t);
    var whole = Math.ceil(left - 1e-6);
    var countdown = whole >= 60 ? clock(whole) : String(whole);
    if (shown.countdown !== countdown) { ui.countdown.setAttribute('data-length', String(countdown.length)); }
    show(ui.countdown, 'countdown', countdown);
    var label = finished ? 'finished' : whole >= 60 ? 'min left' : whole === 1 ? 'second' : 'seconds';
    if (!finished && waitsOn() && waitAt(index)) { label += ', then it waits'; }
    show(ui.countdownLabel, 'countdownLabel', label);
    var span = (v.end - v.start) / rate;
    var done = finished ? 1 : Math.min(1, Math.max(0, (t - v.start / rate) / span));
    ui.phase.style.transform = 'scaleX(' + done.toFixed(4) + ')';
    show(ui.next, 'next', finished ? '\u2014' : nextText(index));
    show(ui.elapsed, 'elapsed', clock(t));
    show(ui.remaining, 'remaining', '\u2212' + clock(Math.ceil(total - t - 1e-6)));
    if (!seeking) { ui.seek.value = String(t); }
    var x = x0 + (x1 - x0) * (t / total);
    if (ui.playhead) {
      ui.playhead.setAttribute('x1', x.toFixed(2));
      ui.playhead.setAttribute('x2', x.toFixed(2));
    }
    followPlayhead(x);
    markStep(finished ? steps.length : (v.step === null ? steps.length : v.step));
  }

  /* What the step asks, in the guide: hidden where it asks nothing more than its name. */
  function showGuide(step) {
    var say = step === null ? '' : sayText(step);
    var how = step === null ? '' : steps[step].instructions || '';
    show(ui.say, 'say', say);
    show(ui.instructions, 'instructions', how);
    var empty = !say && !how;
    if (ui.guide.hidden !== empty) { ui.guide.hidden = empty; }
  }

  var frame = 0;
  function loop() {
    frame = 0;
    checkWait();
    render();
    if (!audio.paused) { frame = requestAnimationFrame(loop); }
  }
  function follow() { if (!frame) { frame = requestAnimationFrame(loop); } }

  /* Waiting at own-pace parts. The audio is linear: each self-paced block is a timed stand-in
     (its pulses and last pips), so the page lets it play and waits at its end, where a person who
     needs longer can take it, until a tap plays on. The page's own pause keeps the screen on; a
     pause by the person gives the wake lock back. Off unless the person turns it on; the choice
     is remembered where the browser lets the page keep it. */
  var OPTION = 'cadence-wait-at-own-pace';
  var waiting = null;
  var lastSeen = null;
  var waitTimer = 0;
  function waitsOn() { return !!(ui.waitOption && ui.waitOption.checked); }
  function waitAt(index) {
    for (var k = 0; k < waits.length; k++) { if (waits[k].index === index) { return waits[k]; } }
    return null;
  }
  /* Waits when playing has just passed a wait point: from where it was last seen to now. */
  function checkWait() {
    if (audio.paused || audio.seeking || waiting !== null) { return; }
    var t = position(), from = lastSeen;
    lastSeen = t;
    if (from === null || !waitsOn()) { return; }
    for (var k = 0; k < waits.length; k++) {
      if (waits[k].at > from && waits[k].at <= t) { beginWait(waits[k]); return; }
    }
  }
  function beginWait(point) {
    waiting = point;
    clearTimeout(waitTimer);
    audio.pause();
    render();
  }
  function endWait() {
    if (waiting === null) { return; }
    waiting = null;
    if (audio.paused) { keepAwake(false); }
    render();
  }
  /* A timer for the next wait point too: animation frames stop while the page is hidden. */
  function planWait() {
    clearTimeout(waitTimer);
    waitTimer = 0;
    if (audio.paused || !waitsOn()) { return; }
    var t = position();
    for (var k = 0; k < waits.length; k++) {
      if (waits[k].at > t) {
        var ms = Math.max(10, (waits[k].at - t) * 1000 / (audio.playbackRate || 1));
        waitTimer = setTimeout(function () { waitTimer = 0; checkWait(); planWait(); }, ms);
        return;
      }
    }
  }
  if (ui.waitOption) {
    try { ui.waitOption.checked = window.localStorage.getItem(OPTION) === 'on'; } catch (err) { /* not kept here */ }
    ui.waitOption.addEventListener('change', function () {
      try { window.localStorage.setItem(OPTION, ui.waitOption.checked ? 'on' : 'off'); } catch (err) { /* not kept here */ }
      lastSeen = audio.paused ? null : position();
      planWait();
      render();
    });
  }

  /* The screen stays on while the audio plays, and while the page waits for a tap. */
  var wakeLock = null;
  function awake() { return !audio.paused || waiting !== null; }
  function keepAwake(on) {
    try {
      if (on && !wakeLock && navigator.wakeLock && document.visibilityState === 'visible') {
        wakeLock = true;
        navigator.wakeLock.request('screen').then(function (lock) {
          if (!awake()) { lock.release().catch(function () {}); wakeLock = null; return; }
          wakeLock = lock;
          lock.addEventListener('release', function () { if (wakeLock === lock) { wakeLock = null; } });
        }, function () { wakeLock = null; });
      } else if (!on && wakeLock && wakeLock !== true) {
        wakeLock.release().catch(function () {});
        wakeLock = null;
      }
    } catch (err) { wakeLock = null; }
  }

  function showPlaying() {
    var playing = !audio.paused;
    ui.play.classList.toggle('playing', playing);
    ui.play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  }
  function toggle() {
    if (audio.paused) {
      if (audio.ended || position() >= total) { audio.currentTime = 0; }
      var started = audio.play();
      if (started && typeof started.catch === 'function') { started.catch(function () { showPlaying(); }); }
    } else {
      audio.pause();
    }
  }
  function seekTo(seconds) {
    var t = Math.max(0, Math.min(total, seconds));
    pendingSeek = null;
    try {
      audio.currentTime = t;
      if (audio.readyState === 0 && Math.abs(audio.currentTime - t) > 0.01) { pendingSeek = t; }
    } catch (err) {
      pendingSeek = t;
    }
    render();
  }
  audio.addEventListener('loadedmetadata', function () {
    if (pendingSeek === null) { return; }
    var t = pendingSeek;
    pendingSeek = null;
    try { audio.currentTime = t; } catch (err) { /* stays where it is */ }
    render();
  });
  function goToStep(step) {
    if (step >= steps.length) { seekTo(steps[steps.length - 1].end / rate); return; }
    seekTo(steps[Math.max(0, step)].start / rate);
  }
  function previousStep() { goToStep(stepAt(position()) - 1); }
  function nextStep() {
    var step = stepAt(position());
    if (step < steps.length) { goToStep(step + 1); }
  }

  audio.addEventListener('play', function () {
    waiting = null;
    lastSeen = position();
    showPlaying(); keepAwake(true); follow(); planWait();
  });
  /* The page's own wait keeps the wake lock; any other pause gives it back. */
  audio.addEventListener('pause', function () { showPlaying(); if (waiting === null) { keepAwake(false); } render(); });
  audio.addEventListener('ended', function () { waiting = null; showPlaying(); keepAwake(false); render(); });
  /* Moving through the session ends a wait, and waits are looked for afresh from the new place. */
  audio.addEventListener('seeking', function () { lastSeen = null; endWait(); });
  audio.addEventListener('seeked', function () { if (!audio.paused) { lastSeen = position(); planWait(); } });
  audio.addEventListener('ratechange', planWait);
  audio.addEventListener('timeupdate', checkWait);
  ['timeupdate', 'seeking', 'seeked', 'loadedmetadata', 'durationchange'].forEach(function (name) {
    audio.addEventListener(name, render);
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && awake()) { keepAwake(true); }
  });

  ui.play.addEventListener('click', toggle);
  if (ui.goOn) { ui.goOn.addEventListener('click', toggle); }
  ui.prev.addEventListener('click', previousStep);
  ui.nextStep.addEventListener('click', nextStep);
  ui.seek.addEventListener('input', function () { seeking = true; seekTo(parseFloat(ui.seek.value) || 0); });
  ui.seek.addEventListener('change', function () { seeking = false; render(); });
  ui.svg.addEventListener('click', function (event) {
    var g = event.target.closest ? event.target.closest('[data-step]') : null;
    if (g) { goToStep(+g.getAttribute('data-step')); }
  });
  ui.list.addEventListener('click', function (event) {
    var b = event.target.closest ? event.target.closest('button[data-step]') : null;
    if (b) { goToStep(+b.getAttribute('data-step')); }
  });
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === ' ' || event.key === 'Spacebar') {
      event.preventDefault();
      if (!event.repeat) { toggle(); }
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      previousStep();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      nextStep();
    }
  });
  /* A focused button would also take a Space press as a click on release: the keydown did it already. */
  document.addEventListener('keyup', function (event) {
    if (event.key === ' ' || event.key === 'Spacebar') { event.preventDefault(); }
  });
  if ('mediaSession' in navigator) {
    try {
      navigator.mediaSession.setActionHandler('previoustrack', previousStep);
      navigator.mediaSession.setActionHandler('nexttrack', nextStep);
    } catch (err) { /* not supported here */ }
  }

  audio.controls = false;
  showPlaying();
  render();
})();
