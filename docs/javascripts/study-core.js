// Study core: the flashcard schedule, the shape of saved progress (cleaning what was stored or
// imported), the practice queue and the check of an imported file. No DOM and no storage of its
// own: the page passes in the storage, the clock and the valid question ids, so Node's test
// runner loads this file as it is (module.exports) and the browser as a plain script
// (window.StudyCore).
//
// Why Leitner boxes rather than SM-2: three ratings (missed / partly / knew it) map directly onto
// "back to box 1 / stay / up one box", the schedule is easy to explain on the page, and there is
// no per-card ease factor to drift after a few unlucky answers.
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.StudyCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;
  // Days until a card in box N (1-5) is due again after "knew it".
  var BOX_DAYS = [null, 0, 2, 4, 8, 16];
  var RATINGS = { missed: "Missed", partly: "Partly", knew: "Knew it" };
  var MISSED_REPEAT_GAP = 3; // a missed card comes back after this many other cards in a session
  var NOT_OURS = "That file is not a progress export from this site.";

  // ---- saved progress -----------------------------------------------------------------------

  function emptyProgress() {
    return { version: 1, cards: Object.create(null) };
  }

  // Keep only well-formed entries for questions that still exist: progress from an older bank
  // (a removed question) or a hand-edited file is ignored, never fatal.
  // Maps keyed by question id or tag have no prototype: an id such as "constructor" is a key like any other.
  function cleanProgress(raw, validIds) {
    var progress = emptyProgress();
    var source = raw && typeof raw === "object" && raw.cards && typeof raw.cards === "object" ? raw.cards : {};
    Object.keys(source).forEach(function (id) {
      var state = source[id];
      if (validIds && !validIds[id]) return;
      if (!state || typeof state !== "object") return;
      var box = Number(state.box);
      var due = Number(state.due);
      if (!(box >= 1 && box <= 5) || !isFinite(due) || !RATINGS[state.last]) return;
      progress.cards[id] = { box: Math.round(box), due: due, last: state.last, seen: Number(state.seen) || 1 };
    });
    return progress;
  }

  // `storage` is localStorage or anything with its getItem/setItem; null when the browser refuses it.
  function readProgress(storage, key, validIds) {
    var raw = null;
    try {
      raw = JSON.parse((storage && storage.getItem(key)) || "null");
    } catch (error) {
      raw = null;
    }
    return cleanProgress(raw, validIds);
  }

  // False when the progress could not be saved (storage full, or blocked by the browser's settings).
  function writeProgress(storage, key, progress) {
    try {
      storage.setItem(key, JSON.stringify(progress));
      return true;
    } catch (error) {
      return false;
    }
  }

  // An exported file, checked before anything of it is kept: { cards } to merge, or { error }
  // with the sentence the page shows.
  function parseImport(text, validIds) {
    var raw;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { error: NOT_OURS };
    }
    if (!raw || typeof raw !== "object" || raw.version !== 1 || !raw.cards || typeof raw.cards !== "object") {
      return { error: NOT_OURS };
    }
    return { cards: cleanProgress(raw, validIds).cards };
  }

  // ---- schedule -----------------------------------------------------------------------------

  function rate(state, rating, now) {
    var box = state ? state.box : 1;
    var seen = (state ? state.seen : 0) + 1;
    if (rating === "missed") return { box: 1, due: now, last: "missed", seen: seen };
    if (rating === "partly") return { box: box, due: now + DAY, last: "partly", seen: seen };
    box = Math.min(5, box + 1);
    return { box: box, due: now + BOX_DAYS[box] * DAY, last: "knew", seen: seen };
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
    counts: counts
  };
});
