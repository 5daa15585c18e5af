// Study core: the flashcard schedule (FSRS, from the vendored ts-fsrs), the shape of saved
// progress (cleaning what was stored or imported, and moving Leitner-box progress to FSRS), the
// practice queue and the check of an imported file. No DOM and no storage of its own: the page
// passes in the storage, the clock and the valid question ids, so Node's test runner loads this
// file as it is (module.exports) and the browser as a plain script (window.StudyCore, after
// vendor/ts-fsrs.umd.js has set window.FSRS).
//
// Why FSRS: it keeps a memory model per card (stability: the days until the chance of recall
// drops to 90%; difficulty: 1 to 10), with default weights fitted to real review histories, so
// intervals grow as fast as each card allows instead of along the fixed 2, 4, 8 and 16 days of the
// Leitner boxes it replaces.
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./vendor/ts-fsrs.umd.js"));
  else root.StudyCore = factory(root.FSRS);
})(typeof self !== "undefined" ? self : this, function (FSRS) {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;
  var RATINGS = { missed: "Missed", partly: "Partly", knew: "Knew it" };
  var GRADES = { missed: FSRS.Rating.Again, partly: FSRS.Rating.Hard, knew: FSRS.Rating.Good };
  // Whole days, no minute-long learning steps: a missed card comes back a few cards later in this
  // session (repeatMissed), so the schedule only has to say which day to show it again. No fuzz,
  // so the page and its tests can tell exactly when a card is due.
  var scheduler = FSRS.fsrs(FSRS.generatorParameters({ learning_steps: [], relearning_steps: [], enable_fuzz: false }));
  var MISSED_REPEAT_GAP = 3; // a missed card comes back after this many other cards in a session
  var NOT_OURS = "That file is not a progress export from this site.";
  var VERSION = 2;
  // Saved under the site's path plus one of these; the first is read only until the second exists.
  var LEGACY_KEY = "#study-progress-v1";
  var KEY = "#study-progress-v2";
  // Days a Leitner box (1-5) waited after "knew it". Box 1 meant "again today"; as stability it
  // counts as one day, as FSRS gives a first "partly".
  var LEITNER_DAYS = [null, 0, 2, 4, 8, 16];

  // ---- saved progress -----------------------------------------------------------------------
  //
  // { version: 2, cards: { <question id>: card } }, a card being ts-fsrs's Card with dates as
  // milliseconds, plus `last`, the page's last rating (missed, partly, knew):
  // { due, stability, difficulty, state, reps, lapses, scheduled_days, learning_steps, last_review, last }

  function emptyProgress() {
    return { version: VERSION, cards: Object.create(null) };
  }

  function wholeNumber(value, fallback) {
    var n = Number(value);
    return n >= 0 && n === Math.floor(n) ? n : fallback;
  }

  function cleanCard(state) {
    var due = Number(state.due);
    var stability = Number(state.stability);
    var difficulty = Number(state.difficulty);
    var phase = Number(state.state);
    if (!isFinite(due) || !(stability > 0 && isFinite(stability)) || !(difficulty >= 1 && difficulty <= 10) ||
        !(phase >= FSRS.State.Learning && phase <= FSRS.State.Relearning && phase === Math.floor(phase)) ||
        !RATINGS[state.last]) return null;
    var scheduled = wholeNumber(state.scheduled_days, 0);
    var lastReview = Number(state.last_review);
    return {
      due: due, stability: stability, difficulty: difficulty, state: phase,
      reps: wholeNumber(state.reps, 1) || 1, lapses: wholeNumber(state.lapses, 0),
      scheduled_days: scheduled, learning_steps: wholeNumber(state.learning_steps, 0),
      last_review: isFinite(lastReview) && state.last_review !== null ? lastReview : due - scheduled * DAY,
      last: state.last
    };
  }

  // A Leitner card { box, due, last, seen } as an FSRS card in review: its due date is kept, its
  // stability is its box's interval, its difficulty FSRS's first-review difficulty for its last
  // rating. The Leitner schedule set `due` from the last review (missed: that moment, partly: a
  // day later, knew: the box's days later), so the last review is found by going back that far.
  function fromLeitner(state) {
    var box = Math.round(Number(state.box));
    var due = Number(state.due);
    if (!(box >= 1 && box <= 5) || !isFinite(due) || !RATINGS[state.last]) return null;
    var gap = state.last === "missed" ? 0 : state.last === "partly" ? 1 : LEITNER_DAYS[box];
    return {
      due: due,
      stability: Math.max(1, LEITNER_DAYS[box]),
      difficulty: Math.min(10, Math.max(1, scheduler.init_difficulty(GRADES[state.last]))),
      state: FSRS.State.Review,
      reps: wholeNumber(state.seen, 1) || 1,
      lapses: 0,
      scheduled_days: gap,
      learning_steps: 0,
      last_review: due - gap * DAY,
      last: state.last
    };
  }

  // Keep only well-formed entries for questions that still exist: progress from an older bank
  // (a removed question), a hand-edited file or an unknown version is ignored, never fatal.
  // Version 1 (Leitner boxes) is moved to FSRS on the way in.
  // Maps keyed by question id or tag have no prototype: an id such as "constructor" is a key like any other.
  function cleanProgress(raw, validIds) {
    var progress = emptyProgress();
    if (!raw || typeof raw !== "object" || !raw.cards || typeof raw.cards !== "object") return progress;
    var clean = raw.version === 1 ? fromLeitner : raw.version === VERSION ? cleanCard : null;
    if (!clean) return progress;
    Object.keys(raw.cards).forEach(function (id) {
      var state = raw.cards[id];
      if (validIds && !validIds[id]) return;
      if (!state || typeof state !== "object") return;
      var card = clean(state);
      if (card) progress.cards[id] = card;
    });
    return progress;
  }

  function storedText(storage, key) {
    try {
      return storage.getItem(key);
    } catch (error) {
      return null;
    }
  }

  // `storage` is localStorage or anything with its getItem/setItem/removeItem, or null where the
  // browser refuses storage; `prefix` is the site's path, so two sites on one origin keep apart.
  function readProgress(storage, prefix, validIds) {
    if (!storage) return emptyProgress();
    var text = storedText(storage, prefix + KEY);
    if (text === null) text = storedText(storage, prefix + LEGACY_KEY);
    var raw = null;
    try {
      raw = JSON.parse(text || "null");
    } catch (error) {
      raw = null;
    }
    return cleanProgress(raw, validIds);
  }

  // False when the progress could not be saved (storage full, or blocked by the browser's
  // settings). Once saved in the current format, the Leitner copy it was moved from is dropped.
  function writeProgress(storage, prefix, progress) {
    try {
      storage.setItem(prefix + KEY, JSON.stringify(progress));
    } catch (error) {
      return false;
    }
    try {
      storage.removeItem(prefix + LEGACY_KEY);
    } catch (error) {
      // The copy in the current format is read first: a stale Leitner copy is only clutter.
    }
    return true;
  }

  // An exported file (this version's or a Leitner one), checked before anything of it is kept:
  // { cards } to merge, or { error } with the sentence the page shows.
  function parseImport(text, validIds) {
    var raw;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { error: NOT_OURS };
    }
    if (!raw || typeof raw !== "object" || (raw.version !== 1 && raw.version !== VERSION) ||
        !raw.cards || typeof raw.cards !== "object" || Array.isArray(raw.cards)) {
      return { error: NOT_OURS };
    }
    return { cards: cleanProgress(raw, validIds).cards };
  }

  // ---- schedule -----------------------------------------------------------------------------

  function toFsrs(state) {
    return {
      due: new Date(state.due), stability: state.stability, difficulty: state.difficulty, elapsed_days: 0,
      scheduled_days: state.scheduled_days, learning_steps: state.learning_steps, reps: state.reps,
      lapses: state.lapses, state: state.state, last_review: new Date(state.last_review)
    };
  }

  // The card after a rating (missed, partly or knew) at `now` (milliseconds); `state` is the
  // card's saved state, or undefined for a card never rated.
  function rate(state, rating, now) {
    var card = state ? toFsrs(state) : FSRS.createEmptyCard(new Date(now));
    // A clock set back, or progress imported from a browser whose clock runs ahead, must not put
    // this review before the last one (FSRS refuses a negative gap): count it as the same moment.
    var at = state && state.last_review > now ? state.last_review : now;
    var next = scheduler.next(card, new Date(at), GRADES[rating]).card;
    return {
      due: next.due.getTime(), stability: next.stability, difficulty: next.difficulty, state: next.state,
      reps: next.reps, lapses: next.lapses, scheduled_days: next.scheduled_days,
      learning_steps: next.learning_steps, last_review: next.last_review.getTime(), last: rating
    };
  }

  function endOfToday(now) {
    var end = new Date(now);
    end.setHours(23, 59, 59, 999);
    return end.getTime();
  }

  // ---- queues and counts --------------------------------------------------------------------

  // Due reviews first (oldest due first), then cards never seen, in bank order.
  function dueQueue(cards, progress, now) {
    var due = cards.filter(function (c) {
      var s = progress.cards[c.id];
      return s && s.due <= now;
    });
    due.sort(function (a, b) { return progress.cards[a.id].due - progress.cards[b.id].due; });
    var fresh = cards.filter(function (c) { return !progress.cards[c.id]; });
    return due.concat(fresh);
  }

  // The cards to practise, in order, for a mode of the page: "due" (due and new), "missed" (last
  // rated missed) or "all" (bank order).
  function buildQueue(mode, cards, progress, now) {
    if (mode === "missed") {
      return cards.filter(function (c) {
        var s = progress.cards[c.id];
        return s && s.last === "missed";
      });
    }
    if (mode === "all") return cards.slice();
    return dueQueue(cards, progress, now);
  }

  // Puts a card just missed back into the session's queue, a few cards after `position`.
  function repeatMissed(queue, position, card) {
    var again = queue.slice();
    again.splice(Math.min(again.length, position + 1 + MISSED_REPEAT_GAP), 0, card);
    return again;
  }

  function counts(cards, progress, now) {
    var result = { dueToday: 0, missed: 0, known: 0, fresh: 0 };
    var end = endOfToday(now);
    cards.forEach(function (c) {
      var s = progress.cards[c.id];
      if (!s) {
        result.fresh += 1;
        return;
      }
      if (s.due <= end) result.dueToday += 1;
      if (s.last === "missed") result.missed += 1;
      if (s.last === "knew") result.known += 1;
    });
    return result;
  }

  // ---- marks: what a reading page shows and sets --------------------------------------------

  // A question's state as a reader sees it: "new" (never rated), "known" (last rated knew) or
  // "learning" (last rated missed or partly). The practice page's counts use the same test.
  function markOf(state) {
    return !state ? "new" : state.last === "knew" ? "known" : "learning";
  }

  // Sets a question's mark at `now`: "known" rates it knew and "learning" rates it missed (each only
  // when it is not already in that state, so a second click never reschedules it); "new" forgets
  // it, as if it had never been rated. Changes `progress` in place and returns it.
  function setMark(progress, id, mark, now) {
    var state = progress.cards[id];
    if (mark === "new") delete progress.cards[id];
    else if (mark === "known" && markOf(state) !== "known") progress.cards[id] = rate(state, "knew", now);
    else if (mark === "learning" && markOf(state) !== "learning") progress.cards[id] = rate(state, "missed", now);
    return progress;
  }

  return {
    RATINGS: RATINGS,
    emptyProgress: emptyProgress,
    cleanProgress: cleanProgress,
    readProgress: readProgress,
    writeProgress: writeProgress,
    parseImport: parseImport,
    rate: rate,
    buildQueue: buildQueue,
    repeatMissed: repeatMissed,
    counts: counts,
    markOf: markOf,
    setMark: setMark
  };
});
