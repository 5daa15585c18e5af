// Mock interview core: the set-up in the page's address, picking the questions, the countdown of
// one question (a value that start, pause, resume, finish and tick turn into the next one), the
// clock's text, scoring against the rubric and choosing the weak answers. No DOM, no storage and
// no clock of its own: the page passes in the time and the random source, so Node's test runner
// loads this file as it is (module.exports) and the browser as a plain script (window.MockCore).
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.MockCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var LENGTHS = [3, 5, 8];
  var LEVELS = ["foundational", "intermediate", "advanced"];
  var MIN_MINUTES = 1;
  var MAX_MINUTES = 10;
  var WEAK_BELOW = 0.5; // a share of rubric points ticked below this is a weak answer
  var WARNING_MS = 30 * 1000; // screen readers hear once that this much time is left

  // ---- set-up ---------------------------------------------------------------------------------
  //
  // mock/?plan=<slug> | ?topic=<slug>&level=<level>, and &count=<3|5|8>&minutes=<1-10>; defaults
  // left out. A value the page does not know is ignored. A plan draws from its own questions, so
  // it replaces topic and level.

  function defaultSetup() {
    return { count: 5, minutes: 2, topic: "", level: "", plan: "" };
  }

  function minutesOf(value, fallback) {
    var n = Number(value);
    return n >= MIN_MINUTES && n <= MAX_MINUTES && n === Math.floor(n) ? n : fallback;
  }

  // `known` is { topics: {slug: true}, plans: {slug: anything} }.
  function parseSetup(search, known) {
    var setup = defaultSetup();
    var params = new URLSearchParams(search || "");
    var topic = params.get("topic");
    var level = params.get("level");
    var plan = params.get("plan");
    var count = Number(params.get("count"));
    if (plan && known.plans && Object.prototype.hasOwnProperty.call(known.plans, plan)) setup.plan = plan;
    else {
      if (topic && known.topics && Object.prototype.hasOwnProperty.call(known.topics, topic)) setup.topic = topic;
      if (level && LEVELS.indexOf(level) !== -1) setup.level = level;
    }
    if (LENGTHS.indexOf(count) !== -1) setup.count = count;
    setup.minutes = minutesOf(params.get("minutes"), setup.minutes);
    return setup;
  }

  // The query string for a set-up ("" when all are defaults), keys always in the same order.
  function serialiseSetup(setup) {
    var defaults = defaultSetup();
    var params = new URLSearchParams();
    ["plan", "topic", "level", "count", "minutes"].forEach(function (name) {
      if (setup[name] && setup[name] !== defaults[name]) params.set(name, String(setup[name]));
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  // The questions a set-up draws from: a plan's (`planIds`, in its order), or those of the topic
  // and level chosen.
  function matching(questions, setup, planIds) {
    if (setup.plan) {
      var wanted = Object.create(null);
      (planIds || []).forEach(function (id) { wanted[id] = true; });
      return questions.filter(function (q) { return wanted[q.id]; });
    }
    return questions.filter(function (q) {
      return (!setup.topic || q.topic === setup.topic) && (!setup.level || q.difficulty === setup.level);
    });
  }

  function shuffled(items, random) {
    var copy = items.slice();
    for (var i = copy.length - 1; i > 0; i -= 1) {
      var j = Math.floor(random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  // `count` questions at random from `pool`, those not known yet first: `isKnown(id)` says which
  // the reader knows (the same marks as the topic pages). `random` is Math.random or a test's own.
  function pick(pool, count, isKnown, random) {
    var rand = random || Math.random;
    var fresh = pool.filter(function (q) { return !isKnown(q.id); });
    var known = pool.filter(function (q) { return isKnown(q.id); });
    return shuffled(fresh, rand).concat(shuffled(known, rand)).slice(0, count);
  }

  // ---- the countdown of one question ----------------------------------------------------------
  //
  // { duration, state: "ready" | "running" | "paused" | "done", elapsed, since, reason }: `elapsed`
  // is the time run before `since`, the moment it last started running (null unless running);
  // `reason` is "time" or "early" once done. Values, never changed in place.

  function timer(duration) {
    return { duration: duration, state: "ready", elapsed: 0, since: null, reason: "" };
  }

  function elapsedAt(t, now) {
    var run = t.state === "running" ? Math.max(0, now - t.since) : 0;
    return Math.min(t.duration, t.elapsed + run);
  }

  function remainingAt(t, now) {
    return t.duration - elapsedAt(t, now);
  }

  function start(t, now) {
    if (t.state !== "ready") return t;
    return { duration: t.duration, state: "running", elapsed: 0, since: now, reason: "" };
  }

  function pause(t, now) {
    if (t.state !== "running") return t;
    return { duration: t.duration, state: "paused", elapsed: elapsedAt(t, now), since: null, reason: "" };
  }

  function resume(t, now) {
    if (t.state !== "paused") return t;
    return { duration: t.duration, state: "running", elapsed: t.elapsed, since: now, reason: "" };
  }

  // "I'm done": stops the clock where it is.
  function finish(t, now) {
    if (t.state === "done" || t.state === "ready") return t;
    return { duration: t.duration, state: "done", elapsed: elapsedAt(t, now), since: null, reason: "early" };
  }

  // The countdown at `now`: done, with the whole duration used, once its time has run out.
  function tick(t, now) {
    if (t.state !== "running" || elapsedAt(t, now) < t.duration) return t;
    return { duration: t.duration, state: "done", elapsed: t.duration, since: null, reason: "time" };
  }

  // Whether the time left went from above the warning to at or below it between two readings.
  function warningDue(before, after) {
    return before > WARNING_MS && after <= WARNING_MS && after > 0;
  }

  // m:ss of a time left or used, whole seconds rounded up (a clock showing 0:00 has run out).
  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // ---- scoring --------------------------------------------------------------------------------

  // One answer's result: the rubric points ticked of all of them, and the time used.
  function score(id, ticked, total, used) {
    return { id: id, ticked: ticked, total: total, share: total ? ticked / total : 0, used: used };
  }

  function percent(result) {
    return Math.round(result.share * 100);
  }

  // The weak answers (fewer than half of the rubric points ticked), in the order they were asked.
  function weakest(results) {
    return results.filter(function (r) { return r.share < WEAK_BELOW; });
  }

  return {
    LENGTHS: LENGTHS,
    LEVELS: LEVELS,
    MIN_MINUTES: MIN_MINUTES,
    MAX_MINUTES: MAX_MINUTES,
    WEAK_BELOW: WEAK_BELOW,
    WARNING_MS: WARNING_MS,
    defaultSetup: defaultSetup,
    parseSetup: parseSetup,
    serialiseSetup: serialiseSetup,
    minutesOf: minutesOf,
    matching: matching,
    pick: pick,
    timer: timer,
    elapsedAt: elapsedAt,
    remainingAt: remainingAt,
    start: start,
    pause: pause,
    resume: resume,
    finish: finish,
    tick: tick,
    warningDue: warningDue,
    clock: clock,
    score: score,
    percent: percent,
    weakest: weakest
  };
});
