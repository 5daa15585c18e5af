// Study core: the flashcard schedule (FSRS, from the vendored ts-fsrs), the shape of saved
// progress (cleaning what was stored or imported, and moving Leitner-box progress to FSRS), the
// practice queue (with its daily limit of new cards), a practice session (ratings, undo, summary,
// why a queue is empty), the filters in the page's address, the practice settings and the check
// of an imported file. No DOM and no storage of its own: the page
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
    return { version: VERSION, cards: Object.create(null), answers: Object.create(null) };
  }

  // The reader's own answers, written before opening ours: { <question id>: text }, kept with the
  // progress (and in its export). Longer text is cut, empty text is no answer.
  var MAX_OWN_ANSWER = 20000;

  function cleanOwnAnswer(text) {
    return typeof text === "string" ? text.slice(0, MAX_OWN_ANSWER).replace(/\s+$/, "") : "";
  }

  // Sets (or, for empty text, removes) a question's own answer; changes `progress` in place.
  function setOwnAnswer(progress, id, text) {
    var clean = cleanOwnAnswer(text);
    if (clean) progress.answers[id] = clean;
    else delete progress.answers[id];
    return progress;
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
    var answers = raw.version === VERSION && raw.answers && typeof raw.answers === "object" ? raw.answers : {};
    Object.keys(answers).forEach(function (id) {
      if (!validIds || validIds[id]) setOwnAnswer(progress, id, answers[id]);
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
    var clean = cleanProgress(raw, validIds);
    return { cards: clean.cards, answers: clean.answers };
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

  // ---- filters in the page's address ---------------------------------------------------------
  //
  // practice/?topic=<slug>&level=<level>&tag=<tag>&mode=<due|missed|all>, defaults left out, so a
  // topic page can link to practice/?topic=<slug>. A value the page does not know is ignored.

  var LEVELS = ["foundational", "intermediate", "advanced"];
  var MODES = ["due", "missed", "all"];
  var FILTER_NAMES = ["topic", "level", "tag", "plan", "mode"];

  function defaultFilters() {
    return { topic: "", level: "", tag: "", plan: "", mode: "due" };
  }

  // `search` is location.search; `known` is { topics: {slug: true}, tags: {tag: true} } and, when
  // the study plans are loaded, plans: {slug: plan}.
  function parseFilters(search, known) {
    var filters = defaultFilters();
    var params = new URLSearchParams(search || "");
    var topic = params.get("topic");
    var level = params.get("level");
    var tag = params.get("tag");
    var mode = params.get("mode");
    var plan = params.get("plan");
    if (topic && known.topics[topic]) filters.topic = topic;
    if (level && LEVELS.indexOf(level) !== -1) filters.level = level;
    if (tag && known.tags[tag]) filters.tag = tag;
    if (mode && MODES.indexOf(mode) !== -1) filters.mode = mode;
    if (plan && known.plans && known.plans[plan]) filters.plan = plan;
    return filters;
  }

  // The query string for `filters` ("" when all are defaults), keys always in the same order.
  function serialiseFilters(filters) {
    var defaults = defaultFilters();
    var params = new URLSearchParams();
    FILTER_NAMES.forEach(function (name) {
      if (filters[name] && filters[name] !== defaults[name]) params.set(name, filters[name]);
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function filterCards(cards, filters) {
    return cards.filter(function (c) {
      return (!filters.topic || c.topic === filters.topic) &&
        (!filters.level || c.difficulty === filters.level) &&
        (!filters.tag || c.tags.indexOf(filters.tag) !== -1);
    });
  }

  // A study plan's cards, in the plan's order (day by day): the deck a plan is practised from.
  function planCards(cards, ids) {
    var byId = Object.create(null);
    cards.forEach(function (c) { byId[c.id] = c; });
    return ids.filter(function (id) { return byId[id]; }).map(function (id) { return byId[id]; });
  }

  // Tags on at least `min` cards, by name, with their counts: a tag on one or two questions
  // makes a queue too short to practise.
  function commonTags(cards, min) {
    var count = Object.create(null);
    cards.forEach(function (c) { c.tags.forEach(function (t) { count[t] = (count[t] || 0) + 1; }); });
    return Object.keys(count).filter(function (t) { return count[t] >= min; }).sort().map(function (t) {
      return { tag: t, count: count[t] };
    });
  }

  // ---- settings and the daily limit of new cards --------------------------------------------
  //
  // Saved beside the progress (its own key, so the progress format is unchanged):
  // { newPerDay, day: "YYYY-MM-DD" (local), introduced: [ids of the new cards first rated that day] }

  var SETTINGS_KEY = "#practice-settings-v1";
  var NEW_PER_DAY = 20;
  var MAX_NEW_PER_DAY = 9999;

  function defaultSettings() {
    return { newPerDay: NEW_PER_DAY, day: "", introduced: [] };
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The local calendar day of `now`: the limit starts again at local midnight, as "due today" does.
  function dayOf(now) {
    var d = new Date(now);
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function cleanSettings(raw) {
    var settings = defaultSettings();
    if (!raw || typeof raw !== "object") return settings;
    var limit = Number(raw.newPerDay);
    if (limit >= 0 && limit <= MAX_NEW_PER_DAY && limit === Math.floor(limit)) settings.newPerDay = limit;
    if (typeof raw.day === "string" && /^\d{4}-\d\d-\d\d$/.test(raw.day) && Array.isArray(raw.introduced)) {
      settings.day = raw.day;
      settings.introduced = raw.introduced.filter(function (id) { return typeof id === "string"; });
    }
    return settings;
  }

  function readSettings(storage, prefix) {
    if (!storage) return defaultSettings();
    var raw = null;
    try {
      raw = JSON.parse(storedText(storage, prefix + SETTINGS_KEY) || "null");
    } catch (error) {
      raw = null;
    }
    return cleanSettings(raw);
  }

  function writeSettings(storage, prefix, settings) {
    try {
      storage.setItem(prefix + SETTINGS_KEY, JSON.stringify(settings));
      return true;
    } catch (error) {
      return false;
    }
  }

  // New cards still allowed today.
  function newLeft(settings, now) {
    var started = settings.day === dayOf(now) ? settings.introduced.length : 0;
    return Math.max(0, settings.newPerDay - started);
  }

  // The settings after a new card was first rated at `now` (a new day starts a new list).
  function introduce(settings, id, now) {
    var day = dayOf(now);
    var introduced = settings.day === day ? settings.introduced.slice() : [];
    if (introduced.indexOf(id) === -1) introduced.push(id);
    return { newPerDay: settings.newPerDay, day: day, introduced: introduced };
  }

  // The queue for a mode, as buildQueue, with at most `allowed` new cards in the due queue ("all"
  // and "missed" are chosen on purpose and have no limit). `heldBack`: new cards left out for it.
  function planQueue(mode, cards, progress, now, allowed) {
    var queue = buildQueue(mode, cards, progress, now);
    if (mode !== "due" || !(allowed >= 0)) return { queue: queue, heldBack: 0 };
    var kept = [];
    var fresh = 0;
    queue.forEach(function (c) {
      if (progress.cards[c.id]) kept.push(c);
      else if (fresh++ < allowed) kept.push(c);
    });
    return { queue: kept, heldBack: queue.length - kept.length };
  }

  // ---- a session: the queue being practised, its ratings, and undo --------------------------
  //
  // { queue: [card], position, ratings: [{ id, rating }], history: [what undo restores] }.
  // Values, never changed in place: each step returns a new session.

  function startSession(queue) {
    return { queue: queue.slice(), position: 0, ratings: [], history: [] };
  }

  function currentCard(session) {
    return session.queue[session.position] || null;
  }

  function sessionDone(session) {
    return session.position >= session.queue.length;
  }

  // After the current card was rated: on to the next card, a missed card back a few cards later
  // (when `repeat`), and an undo step. `before` is whatever the page must put back on undo (the
  // card's saved state before the rating, the settings); the session keeps it as it is.
  function recordRating(session, rating, before, repeat) {
    var card = currentCard(session);
    if (!card) return session;
    var queue = rating === "missed" && repeat ? repeatMissed(session.queue, session.position, card) : session.queue;
    return {
      queue: queue,
      position: session.position + 1,
      ratings: session.ratings.concat([{ id: card.id, rating: rating }]),
      history: session.history.concat([{ id: card.id, before: before, queue: session.queue, position: session.position }])
    };
  }

  // The last rating taken back: { session (that card current again), id, before } or null.
  function undoRating(session) {
    var last = session.history[session.history.length - 1];
    if (!last) return null;
    return {
      session: {
        queue: last.queue, position: last.position,
        ratings: session.ratings.slice(0, -1), history: session.history.slice(0, -1)
      },
      id: last.id,
      before: last.before
    };
  }

  // The current card moved to the end of the queue, unrated: it comes back after the others.
  function skipCard(session) {
    var card = currentCard(session);
    if (!card || session.position === session.queue.length - 1) return session;
    var queue = session.queue.slice();
    queue.splice(session.position, 1);
    queue.push(card);
    return { queue: queue, position: session.position, ratings: session.ratings, history: session.history };
  }

  // The card at `index` (at or after the current one) moved to the current position.
  function bringForward(session, index) {
    if (index < session.position || index >= session.queue.length) return session;
    var queue = session.queue.slice();
    var card = queue.splice(index, 1)[0];
    queue.splice(session.position, 0, card);
    return { queue: queue, position: session.position, ratings: session.ratings, history: session.history };
  }

  // Where the reader is, counting each card once: a missed card that comes back is not a new
  // card of the session (`repeat` is true while it is shown again).
  function sessionProgress(session) {
    var seen = Object.create(null);
    var result = { index: 0, total: 0, repeat: false };
    session.queue.forEach(function (c, i) {
      if (seen[c.id]) {
        if (i === session.position) result.repeat = true;
        return;
      }
      seen[c.id] = true;
      result.total += 1;
      if (i <= session.position) result.index += 1;
    });
    return result;
  }

  // The end of a session: cards rated, each counted once by its first rating this session, and
  // how many of `cards` are due tomorrow.
  function sessionSummary(session, cards, progress, now) {
    var first = Object.create(null);
    var result = { rated: 0, missed: 0, partly: 0, knew: 0, dueTomorrow: 0 };
    session.ratings.forEach(function (r) {
      if (first[r.id]) return;
      first[r.id] = true;
      result.rated += 1;
      result[r.rating] += 1;
    });
    var today = endOfToday(now);
    var tomorrow = endOfToday(today + 1);
    cards.forEach(function (c) {
      var s = progress.cards[c.id];
      if (s && s.due > today && s.due <= tomorrow) result.dueTomorrow += 1;
    });
    return result;
  }

  // Why there is nothing to practise, and what would change that:
  // { reason: "no-match", fixes: [filter names that, cleared alone, give cards] }
  // { reason: "none-missed" }                  nothing last rated missed among these cards
  // { reason: "new-limit", waiting, nextDue }  only new cards are left, and today's limit is used
  // { reason: "nothing-due", nextDue }         nextDue: the earliest due date, or null
  function explainEmpty(filters, cards, progress, now, allowed) {
    var matching = filterCards(cards, filters);
    if (!matching.length) {
      var fixes = ["tag", "level", "topic"].filter(function (name) {
        if (!filters[name]) return false;
        var wider = Object.assign({}, filters);
        wider[name] = "";
        return filterCards(cards, wider).length > 0;
      });
      return { reason: "no-match", fixes: fixes };
    }
    if (filters.mode === "missed") return { reason: "none-missed" };
    var waiting = 0;
    var nextDue = null;
    matching.forEach(function (c) {
      var s = progress.cards[c.id];
      if (!s) waiting += 1;
      else if (nextDue === null || s.due < nextDue) nextDue = s.due;
    });
    if (waiting && !(allowed > 0)) return { reason: "new-limit", waiting: waiting, nextDue: nextDue };
    return { reason: "nothing-due", nextDue: nextDue };
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
    setOwnAnswer: setOwnAnswer,
    MAX_OWN_ANSWER: MAX_OWN_ANSWER,
    setMark: setMark,
    LEVELS: LEVELS,
    NEW_PER_DAY: NEW_PER_DAY,
    MAX_NEW_PER_DAY: MAX_NEW_PER_DAY,
    defaultFilters: defaultFilters,
    parseFilters: parseFilters,
    serialiseFilters: serialiseFilters,
    filterCards: filterCards,
    planCards: planCards,
    commonTags: commonTags,
    dayOf: dayOf,
    cleanSettings: cleanSettings,
    readSettings: readSettings,
    writeSettings: writeSettings,
    newLeft: newLeft,
    introduce: introduce,
    planQueue: planQueue,
    startSession: startSession,
    currentCard: currentCard,
    sessionDone: sessionDone,
    recordRating: recordRating,
    undoRating: undoRating,
    skipCard: skipCard,
    bringForward: bringForward,
    sessionProgress: sessionProgress,
    sessionSummary: sessionSummary,
    explainEmpty: explainEmpty
  };
});
