// docs/javascripts/mock-core.js under Node's test runner: the set-up in the address, picking the
// questions (not known ones first, a plan's only), the countdown with pause and "I'm done", the
// clock's text, the 30-second warning, and scoring with the weak answers.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const mock = require("../../docs/javascripts/mock-core.js");

const MIN = 60 * 1000;
const known = { topics: { gpus: true, serving: true }, plans: { "one-week": {} } };

// A fixed sequence in [0, 1): the same picks on every run.
function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const bank = [
  { id: "a", topic: "gpus", difficulty: "foundational" },
  { id: "b", topic: "gpus", difficulty: "advanced" },
  { id: "c", topic: "serving", difficulty: "foundational" },
  { id: "d", topic: "serving", difficulty: "intermediate" },
  { id: "e", topic: "gpus", difficulty: "foundational" },
  { id: "f", topic: "serving", difficulty: "advanced" },
];

// ---- set-up ---------------------------------------------------------------------------------

test("the set-up in the address: defaults, known values, unknown ones ignored", () => {
  assert.deepEqual(mock.parseSetup("", known), { count: 5, minutes: 2, topic: "", level: "", plan: "" });
  assert.deepEqual(mock.parseSetup("?topic=gpus&level=advanced&count=3&minutes=7", known),
    { count: 3, minutes: 7, topic: "gpus", level: "advanced", plan: "" });
  assert.deepEqual(mock.parseSetup("?topic=nope&level=expert&count=4&minutes=11", known), mock.defaultSetup());
  assert.deepEqual(mock.parseSetup("?minutes=0", known).minutes, 2);
  assert.deepEqual(mock.parseSetup("?minutes=1.5", known).minutes, 2);
  assert.deepEqual(mock.parseSetup("?topic=constructor", known).topic, "", "a prototype key is no topic");
});

test("a plan replaces topic and level; an unknown plan is ignored", () => {
  assert.deepEqual(mock.parseSetup("?plan=one-week&topic=gpus&level=advanced", known),
    { count: 5, minutes: 2, topic: "", level: "", plan: "one-week" });
  assert.equal(mock.parseSetup("?plan=none&topic=gpus", known).topic, "gpus");
  assert.equal(mock.parseSetup("?plan=one-week", { topics: {} }).plan, "", "plans not loaded");
});

test("the set-up round-trips through the address, defaults left out", () => {
  const setup = { count: 8, minutes: 3, topic: "serving", level: "intermediate", plan: "" };
  assert.equal(mock.serialiseSetup(setup), "?topic=serving&level=intermediate&count=8&minutes=3");
  assert.deepEqual(mock.parseSetup(mock.serialiseSetup(setup), known), setup);
  assert.equal(mock.serialiseSetup(mock.defaultSetup()), "");
});

// ---- picking ---------------------------------------------------------------------------------

test("matching questions: a topic and level, or only a plan's", () => {
  const ids = (qs) => qs.map((q) => q.id);
  assert.deepEqual(ids(mock.matching(bank, { topic: "gpus", level: "" })), ["a", "b", "e"]);
  assert.deepEqual(ids(mock.matching(bank, { topic: "gpus", level: "foundational" })), ["a", "e"]);
  assert.deepEqual(ids(mock.matching(bank, { topic: "", level: "" })), ["a", "b", "c", "d", "e", "f"]);
  assert.deepEqual(ids(mock.matching(bank, { plan: "p", topic: "gpus" }, ["f", "c", "zz"])), ["c", "f"]);
});

test("picking prefers questions not known yet, at random, without repeats", () => {
  const isKnown = (id) => id === "a" || id === "b" || id === "c";
  for (let seed = 1; seed < 40; seed += 1) {
    const picked = mock.pick(bank, 4, isKnown, seeded(seed)).map((q) => q.id);
    assert.equal(picked.length, 4);
    assert.equal(new Set(picked).size, 4);
    assert.deepEqual(picked.slice(0, 3).sort(), ["d", "e", "f"], "the three not known come first");
    assert.ok(["a", "b", "c"].includes(picked[3]));
  }
  const orders = new Set();
  for (let seed = 1; seed < 40; seed += 1) orders.add(mock.pick(bank, 6, () => false, seeded(seed)).map((q) => q.id).join(""));
  assert.ok(orders.size > 10, "random, not the bank's order");
  assert.equal(mock.pick(bank.slice(0, 2), 5, () => false, seeded(3)).length, 2, "fewer than asked when fewer match");
});

// ---- the countdown -----------------------------------------------------------------------------

test("a countdown runs, pauses without losing time, resumes and runs out", () => {
  let t = mock.timer(2 * MIN);
  assert.equal(mock.remainingAt(t, 1000), 2 * MIN, "not started: full time");
  t = mock.start(t, 0);
  assert.equal(mock.remainingAt(t, 45 * 1000), 75 * 1000);
  t = mock.pause(t, 45 * 1000);
  assert.equal(t.state, "paused");
  assert.equal(mock.remainingAt(t, 10 * MIN), 75 * 1000, "paused: time does not move");
  assert.equal(mock.tick(t, 10 * MIN), t, "paused: it cannot run out");
  t = mock.resume(t, 10 * MIN);
  assert.equal(mock.remainingAt(t, 10 * MIN + 15 * 1000), 60 * 1000);
  assert.equal(mock.tick(t, 10 * MIN + 74 * 1000).state, "running");
  const done = mock.tick(t, 10 * MIN + 75 * 1000);
  assert.equal(done.state, "done");
  assert.equal(done.reason, "time");
  assert.equal(mock.elapsedAt(done, 20 * MIN), 2 * MIN, "time used: all of it, never more");
});

test("I'm done stops the clock where it is; a finished countdown stays finished", () => {
  let t = mock.start(mock.timer(2 * MIN), 5000);
  t = mock.finish(t, 5000 + 83 * 1000);
  assert.deepEqual([t.state, t.reason, mock.elapsedAt(t, 10 * MIN)], ["done", "early", 83 * 1000]);
  assert.equal(mock.resume(t, 0), t);
  assert.equal(mock.pause(t, 0), t);
  assert.equal(mock.finish(t, 0), t);
  const paused = mock.pause(mock.start(mock.timer(MIN), 0), 20 * 1000);
  assert.equal(mock.elapsedAt(mock.finish(paused, 50 * 1000), 0), 20 * 1000, "done while paused: the paused time");
});

test("the 30-second warning is due once, when the time left crosses 30 s", () => {
  assert.equal(mock.warningDue(31000, 30000), true);
  assert.equal(mock.warningDue(30000, 29000), false, "already past it");
  assert.equal(mock.warningDue(60000, 31000), false);
  assert.equal(mock.warningDue(31000, 0), false, "time is up says the rest");
});

test("the clock shows m:ss, whole seconds rounded up", () => {
  assert.equal(mock.clock(2 * MIN), "2:00");
  assert.equal(mock.clock(2 * MIN - 1), "2:00");
  assert.equal(mock.clock(65 * 1000), "1:05");
  assert.equal(mock.clock(9 * 1000 + 1), "0:10");
  assert.equal(mock.clock(0), "0:00");
  assert.equal(mock.clock(-5), "0:00");
  assert.equal(mock.clock(10 * MIN), "10:00");
});

// ---- scoring ---------------------------------------------------------------------------------

test("scores are the share of rubric points ticked; below one half is weak", () => {
  const results = [mock.score("a", 2, 4, 1000), mock.score("b", 1, 3, 2000), mock.score("c", 0, 5, 3000),
    mock.score("d", 3, 3, 4000), mock.score("e", 0, 0, 0)];
  assert.deepEqual(results.map(mock.percent), [50, 33, 0, 100, 0]);
  assert.deepEqual(mock.weakest(results).map((r) => r.id), ["b", "c", "e"], "exactly one half is not weak");
});
