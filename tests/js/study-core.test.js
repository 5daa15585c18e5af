// docs/javascripts/study-core.js under Node's test runner (`node --test tests/js/`), with the
// vendored ts-fsrs build it loads in the browser: the FSRS schedule on a fixed clock, moving
// Leitner progress to FSRS, cleaning saved progress, checking imports, queues and counts, filters
// in the address, the daily limit of new cards, sessions (undo, skip, summary) and empty queues.
"use strict";

process.env.TZ = "UTC"; // "due today" ends at local midnight; the dates below are in UTC

const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../../docs/javascripts/study-core.js");

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse("2026-11-02T09:00:00Z");
const iso = (ms) => new Date(ms).toISOString();
const plain = (value) => JSON.parse(JSON.stringify(value));

// ---- the FSRS schedule --------------------------------------------------------------------

test("a scripted review history gets the due dates ts-fsrs computes", () => {
  const history = [];
  let card;
  let now = START;
  for (const rating of ["knew", "knew", "missed", "partly", "knew"]) {
    card = core.rate(card, rating, now);
    history.push([rating, iso(card.due), card.scheduled_days, card.lapses]);
    now = card.due; // each review on the day it is due
  }
  assert.deepEqual(history, [
    ["knew", "2026-11-04T09:00:00.000Z", 2, 0],
    ["knew", "2026-11-15T09:00:00.000Z", 11, 0],
    ["missed", "2026-11-17T09:00:00.000Z", 2, 1],
    ["partly", "2026-11-21T09:00:00.000Z", 4, 1],
    ["knew", "2026-11-29T09:00:00.000Z", 8, 1],
  ]);
  assert.equal(card.reps, 5);
  assert.equal(card.last, "knew");
  assert.equal(card.last_review, Date.parse("2026-11-21T09:00:00Z"));
});

test("a new card is due again after one day (missed, partly) or two (knew)", () => {
  const due = Object.fromEntries(["missed", "partly", "knew"].map((r) => [r, iso(core.rate(undefined, r, START).due)]));
  assert.deepEqual(due, {
    missed: "2026-11-03T09:00:00.000Z",
    partly: "2026-11-03T09:00:00.000Z",
    knew: "2026-11-04T09:00:00.000Z",
  });
});

test("a card remembered long after it was due gets a longer interval than one reviewed on time", () => {
  const first = core.rate(undefined, "knew", START);
  const onTime = core.rate(first, "knew", first.due);
  const late = core.rate(first, "knew", first.due + 10 * DAY);
  assert.equal(onTime.scheduled_days, 11);
  assert.ok(late.scheduled_days > onTime.scheduled_days, `${late.scheduled_days} days`);
});

test("a review dated before the last one (clock set back) counts as the same moment", () => {
  const first = core.rate(undefined, "knew", START);
  const again = core.rate(first, "missed", START - 3 * DAY);
  assert.equal(again.last_review, START);
  assert.equal(iso(again.due), "2026-11-03T09:00:00.000Z");
});

test("rated progress survives JSON and is rated on from there", () => {
  const card = core.rate(undefined, "partly", START);
  const stored = core.cleanProgress(plain({ version: 2, cards: { q: card } })).cards.q;
  assert.deepEqual(stored, card);
  assert.deepEqual(core.rate(stored, "knew", stored.due), core.rate(card, "knew", card.due));
});

// ---- Leitner progress (version 1) moved to FSRS -------------------------------------------

test("a Leitner card keeps its due date and gets its box's interval as stability", () => {
  const cards = {};
  [1, 2, 3, 4, 5].forEach((box) => {
    cards[`box-${box}`] = { box, due: START + box * DAY, last: box === 1 ? "partly" : "knew", seen: box };
  });
  const moved = core.cleanProgress({ version: 1, cards }).cards;
  const summary = Object.keys(moved).map((id) => {
    const c = moved[id];
    return [id, iso(c.due), c.stability, c.scheduled_days, iso(c.last_review), c.reps, c.state, c.last];
  });
  assert.deepEqual(summary, [
    ["box-1", "2026-11-03T09:00:00.000Z", 1, 1, "2026-11-02T09:00:00.000Z", 1, 2, "partly"],
    ["box-2", "2026-11-04T09:00:00.000Z", 2, 2, "2026-11-02T09:00:00.000Z", 2, 2, "knew"],
    ["box-3", "2026-11-05T09:00:00.000Z", 4, 4, "2026-11-01T09:00:00.000Z", 3, 2, "knew"],
    ["box-4", "2026-11-06T09:00:00.000Z", 8, 8, "2026-10-29T09:00:00.000Z", 4, 2, "knew"],
    ["box-5", "2026-11-07T09:00:00.000Z", 16, 16, "2026-10-22T09:00:00.000Z", 5, 2, "knew"],
  ]);
});

test("a missed Leitner card was due the moment it was missed, and counts as harder", () => {
  const moved = core.cleanProgress({ version: 1, cards: {
    missed: { box: 1, due: START, last: "missed", seen: 3 },
    partly: { box: 2, due: START, last: "partly", seen: 3 },
    knew: { box: 2, due: START, last: "knew", seen: 3 },
  } }).cards;
  assert.equal(moved.missed.last_review, START);
  assert.equal(moved.missed.scheduled_days, 0);
  assert.equal(moved.partly.last_review, START - DAY);
  assert.ok(moved.missed.difficulty > moved.partly.difficulty, "missed is harder than partly");
  assert.ok(moved.partly.difficulty > moved.knew.difficulty, "partly is harder than knew");
  for (const card of Object.values(moved)) assert.ok(card.difficulty >= 1 && card.difficulty <= 10);
});

test("a moved box-5 card known again waits longer than the 16 days its box allowed", () => {
  const moved = core.cleanProgress({ version: 1, cards: { q: { box: 5, due: START, last: "knew", seen: 4 } } }).cards.q;
  const next = core.rate(moved, "knew", START);
  assert.equal(iso(next.due), "2027-01-05T09:00:00.000Z");
  assert.equal(next.scheduled_days, 64);
});

test("Leitner entries that are not well formed are dropped", () => {
  const moved = core.cleanProgress({ version: 1, cards: {
    box0: { box: 0, due: START, last: "knew" },
    box6: { box: 6, due: START, last: "knew" },
    noDue: { box: 2, last: "knew" },
    badDue: { box: 2, due: "soon", last: "knew" },
    badRating: { box: 2, due: START, last: "easy" },
    fsrsShaped: core.rate(undefined, "knew", START),
    ok: { box: "2", due: String(START), last: "knew" },
  } }).cards;
  assert.deepEqual(Object.keys(moved), ["ok"]);
  assert.equal(moved.ok.reps, 1, "a missing `seen` counts as one review");
});

// ---- cleaning saved progress --------------------------------------------------------------

test("saved progress that is not an object of cards cleans to empty progress", () => {
  for (const raw of [null, undefined, "text", 3, [], {}, { version: 2 }, { version: 2, cards: "x" },
    { cards: { q: core.rate(undefined, "knew", START) } }, { version: 3, cards: { q: core.rate(undefined, "knew", START) } }]) {
    const progress = core.cleanProgress(raw);
    assert.equal(progress.version, 2);
    assert.deepEqual(Object.keys(progress.cards), [], JSON.stringify(raw));
  }
});

test("malformed FSRS cards are dropped, the rest kept, counters defaulted", () => {
  const good = core.rate(undefined, "knew", START);
  const cards = {
    ok: good,
    notObject: "knew",
    nullCard: null,
    noStability: { ...good, stability: undefined },
    zeroStability: { ...good, stability: 0 },
    infiniteStability: { ...good, stability: Infinity },
    lowDifficulty: { ...good, difficulty: 0.5 },
    highDifficulty: { ...good, difficulty: 11 },
    newState: { ...good, state: 0 },
    fractionalState: { ...good, state: 1.5 },
    badDue: { ...good, due: "tomorrow" },
    badRating: { ...good, last: "easy" },
    noCounters: { due: good.due, stability: 3, difficulty: 5, state: 2, last: "partly" },
  };
  const clean = core.cleanProgress({ version: 2, cards }).cards;
  assert.deepEqual(Object.keys(clean), ["ok", "noCounters"]);
  assert.deepEqual(clean.ok, good);
  assert.deepEqual(clean.noCounters, {
    due: good.due, stability: 3, difficulty: 5, state: 2, reps: 1, lapses: 0,
    scheduled_days: 0, learning_steps: 0, last_review: good.due, last: "partly",
  });
});

test("only questions that still exist are kept, and any id is a plain key", () => {
  const card = core.rate(undefined, "knew", START);
  const valid = Object.create(null);
  for (const id of ["kept", "constructor", "__proto__"]) valid[id] = true;
  const raw = JSON.parse(JSON.stringify({ version: 2, cards: { kept: card, removed: card, constructor: card } })
    .replace("}}", `},"__proto__":${JSON.stringify(card)}}`));
  const clean = core.cleanProgress(raw, valid).cards;
  assert.deepEqual(Object.keys(clean).sort(), ["__proto__", "constructor", "kept"]);
  assert.equal(Object.getPrototypeOf(clean), null);
  assert.equal(core.emptyProgress().cards.constructor, undefined);
});

// ---- storage (a stand-in for localStorage) ------------------------------------------------

function memoryStorage(entries, failing) {
  const items = new Map(Object.entries(entries || {}));
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      if (failing) throw new Error("QuotaExceededError");
      items.set(key, String(value));
    },
    removeItem: (key) => items.delete(key),
  };
}

const PREFIX = "/ml-infra-interviews/";
const LEITNER = { version: 1, cards: { q: { box: 3, due: START, last: "knew", seen: 2 } } };

test("progress saved by the Leitner version is read, moved, and dropped once saved anew", () => {
  const storage = memoryStorage({ [PREFIX + "#study-progress-v1"]: JSON.stringify(LEITNER) });
  const progress = core.readProgress(storage, PREFIX);
  assert.equal(progress.cards.q.stability, 4);
  assert.equal(core.writeProgress(storage, PREFIX, progress), true);
  assert.deepEqual([...storage.items.keys()], [PREFIX + "#study-progress-v2"]);
  assert.deepEqual(core.readProgress(storage, PREFIX).cards.q, progress.cards.q);
});

test("progress in the current format wins over a Leitner copy, even when it is empty", () => {
  const storage = memoryStorage({
    [PREFIX + "#study-progress-v1"]: JSON.stringify(LEITNER),
    [PREFIX + "#study-progress-v2"]: JSON.stringify(core.emptyProgress()),
  });
  assert.deepEqual(Object.keys(core.readProgress(storage, PREFIX).cards), []);
});

test("unreadable or refused storage reads as no progress, and a failed save says so", () => {
  assert.deepEqual(Object.keys(core.readProgress(null, PREFIX).cards), []);
  const corrupt = memoryStorage({ [PREFIX + "#study-progress-v2"]: "{not json" });
  assert.deepEqual(Object.keys(core.readProgress(corrupt, PREFIX).cards), []);
  const throwing = { getItem() { throw new Error("SecurityError"); } };
  assert.deepEqual(Object.keys(core.readProgress(throwing, PREFIX).cards), []);

  const full = memoryStorage({}, true);
  assert.equal(core.writeProgress(full, PREFIX, core.emptyProgress()), false);
  assert.equal(core.writeProgress(null, PREFIX, core.emptyProgress()), false);
});

// ---- importing a file ---------------------------------------------------------------------

test("a file that is not a progress export of ours is refused with one clear sentence", () => {
  const card = core.rate(undefined, "knew", START);
  for (const text of ["", "not json", "null", "[]", "\"progress\"", "42", '{"foo": 1}', '{"cards": {}}',
    JSON.stringify({ version: 3, cards: { q: card } }), JSON.stringify({ version: "2", cards: {} }),
    JSON.stringify({ version: 2, cards: [card] }), JSON.stringify({ version: 2, cards: "q" })]) {
    assert.deepEqual(core.parseImport(text), { error: "That file is not a progress export from this site." }, text);
  }
});

test("an export of either version is imported, keeping only questions that still exist", () => {
  const valid = Object.assign(Object.create(null), { q: true, r: true });
  const progress = core.emptyProgress();
  progress.cards.q = core.rate(undefined, "missed", START);
  progress.cards.gone = core.rate(undefined, "knew", START);
  const current = core.parseImport(JSON.stringify(progress, null, 2), valid);
  assert.deepEqual(Object.keys(current.cards), ["q"]);
  assert.deepEqual(current.cards.q, progress.cards.q);

  const leitner = core.parseImport(JSON.stringify({ version: 1, cards: { r: { box: 2, due: START, last: "knew", seen: 1 } } }), valid);
  assert.deepEqual(Object.keys(leitner.cards), ["r"]);
  assert.equal(leitner.cards.r.due, START);
  assert.equal(leitner.cards.r.stability, 2);
});

// ---- queues and counts --------------------------------------------------------------------

const DECK = ["a", "b", "c", "d", "e", "f"].map((id) => ({ id }));
const ids = (queue) => queue.map((c) => c.id);

function scheduled() {
  // a: due yesterday, b: due two days ago (missed), c: due tomorrow, d: due in an hour; e, f new.
  const progress = core.emptyProgress();
  progress.cards.a = { ...core.rate(undefined, "knew", START - 3 * DAY) };
  progress.cards.b = { ...core.rate(undefined, "missed", START - 3 * DAY) };
  progress.cards.c = { ...core.rate(undefined, "partly", START) };
  progress.cards.d = { ...core.rate(undefined, "knew", START - 2 * DAY + 60 * 60 * 1000) };
  return progress;
}

test("the due queue holds due cards, longest overdue first, then new cards in bank order", () => {
  const progress = scheduled();
  assert.deepEqual(ids(core.buildQueue("due", DECK, progress, START)), ["b", "a", "e", "f"]);
  assert.deepEqual(ids(core.buildQueue("due", DECK, progress, START + 2 * 60 * 60 * 1000)), ["b", "a", "d", "e", "f"]);
});

test("the missed queue holds cards last rated missed, whenever due; all is the deck in order", () => {
  const progress = scheduled();
  progress.cards.c = core.rate(progress.cards.c, "missed", START);
  assert.deepEqual(ids(core.buildQueue("missed", DECK, progress, START)), ["b", "c"]);
  const all = core.buildQueue("all", DECK, progress, START);
  assert.deepEqual(ids(all), ids(DECK));
  assert.notEqual(all, DECK, "a copy: the session may reorder it");
});

test("a missed card goes back three cards later, or last in a short queue", () => {
  const queue = DECK.slice();
  assert.deepEqual(ids(core.repeatMissed(queue, 0, queue[0])), ["a", "b", "c", "d", "a", "e", "f"]);
  assert.deepEqual(ids(core.repeatMissed(queue, 4, queue[4])), ["a", "b", "c", "d", "e", "f", "e"]);
  assert.deepEqual(ids(queue), ids(DECK), "the queue passed in is left as it was");
});

test("counts: due by the end of today, missed, known and new", () => {
  const progress = scheduled();
  assert.deepEqual(core.counts(DECK, progress, START), { dueToday: 3, missed: 1, known: 2, fresh: 2 });
  assert.deepEqual(core.counts(DECK, progress, START + DAY), { dueToday: 4, missed: 1, known: 2, fresh: 2 });
});

// ---- marks --------------------------------------------------------------------------------

test("a mark is new before any rating, known after knew, learning after missed or partly", () => {
  assert.equal(core.markOf(undefined), "new");
  assert.equal(core.markOf(core.rate(undefined, "knew", START)), "known");
  assert.equal(core.markOf(core.rate(undefined, "missed", START)), "learning");
  assert.equal(core.markOf(core.rate(undefined, "partly", START)), "learning");
});

test("setting a mark rates the card once; setting it again keeps the schedule; new forgets it", () => {
  const progress = core.emptyProgress();
  core.setMark(progress, "q1", "known", START);
  const first = plain(progress.cards.q1);
  assert.equal(first.last, "knew");
  assert.equal(iso(first.due), "2026-11-04T09:00:00.000Z");
  core.setMark(progress, "q1", "known", START + DAY); // a second click: unchanged, not 11 days out
  assert.deepEqual(plain(progress.cards.q1), first);
  core.setMark(progress, "q1", "learning", START + DAY);
  assert.equal(progress.cards.q1.last, "missed");
  assert.equal(progress.cards.q1.lapses, 1);
  core.setMark(progress, "q1", "new", START + DAY);
  assert.equal(core.markOf(progress.cards.q1), "new");
  assert.deepEqual(Object.keys(progress.cards), []);
  const c = core.counts([{ id: "q1" }], progress, START);
  assert.equal(c.fresh, 1);
});

// ---- filters in the address ---------------------------------------------------------------

const KNOWN = {
  topics: Object.assign(Object.create(null), { gpus: true, serving: true }),
  tags: Object.assign(Object.create(null), { scenario: true, llm: true }),
  plans: Object.assign(Object.create(null), { "one-week": { title: "One week", ids: ["c", "a"] } }),
};

test("filters are read from the address; unknown values and keys are ignored, not fatal", () => {
  assert.deepEqual(core.parseFilters("?topic=gpus&level=advanced&tag=llm&mode=missed", KNOWN),
    { topic: "gpus", level: "advanced", tag: "llm", plan: "", mode: "missed" });
  assert.equal(core.parseFilters("?plan=one-week", KNOWN).plan, "one-week");
  assert.equal(core.parseFilters("?plan=one-week", { topics: KNOWN.topics, tags: KNOWN.tags }).plan, "",
    "a plan is known only once the plans are loaded");
  assert.deepEqual(core.parseFilters("", KNOWN), core.defaultFilters());
  assert.deepEqual(core.parseFilters("?topic=nope&level=expert&tag=constructor&mode=__proto__&x=1", KNOWN),
    { topic: "", level: "", tag: "", plan: "", mode: "due" });
  assert.equal(core.parseFilters("?plan=constructor", KNOWN).plan, "");
  assert.deepEqual(core.parseFilters("?topic=serving&topic=gpus&tag=%3Cb%3E", KNOWN).topic, "serving");
});

test("filters are written to the address without their defaults, and read back the same", () => {
  assert.equal(core.serialiseFilters(core.defaultFilters()), "");
  assert.equal(core.serialiseFilters({ topic: "gpus", level: "", tag: "", plan: "", mode: "due" }), "?topic=gpus");
  const all = { topic: "serving", level: "intermediate", tag: "scenario", plan: "one-week", mode: "all" };
  assert.equal(core.serialiseFilters(all), "?topic=serving&level=intermediate&tag=scenario&plan=one-week&mode=all");
  assert.deepEqual(core.parseFilters(core.serialiseFilters(all), KNOWN), all);
});

const CARDS = [
  { id: "a", topic: "gpus", difficulty: "foundational", tags: ["llm", "memory"] },
  { id: "b", topic: "gpus", difficulty: "advanced", tags: ["llm"] },
  { id: "c", topic: "serving", difficulty: "advanced", tags: ["llm", "scenario"] },
  { id: "d", topic: "serving", difficulty: "intermediate", tags: ["scenario"] },
];

test("a plan's cards come in the plan's order, skipping ids the deck lacks", () => {
  assert.deepEqual(core.planCards(CARDS, ["c", "gone", "a"]).map((c) => c.id), ["c", "a"]);
});

test("only tags on at least three cards are offered, by name, with their counts", () => {
  assert.deepEqual(core.commonTags(CARDS, 3), [{ tag: "llm", count: 3 }]);
  assert.deepEqual(core.commonTags(CARDS, 2).map((t) => t.tag), ["llm", "scenario"]);
});

test("filterCards combines topic, level and tag", () => {
  assert.deepEqual(ids(core.filterCards(CARDS, { topic: "gpus", level: "", tag: "llm", mode: "due" })), ["a", "b"]);
  assert.deepEqual(ids(core.filterCards(CARDS, { topic: "serving", level: "advanced", tag: "", mode: "due" })), ["c"]);
});

// ---- the daily limit of new cards ---------------------------------------------------------

test("settings default to 20 new cards a day and keep only well-formed values", () => {
  assert.deepEqual(core.cleanSettings(null), { newPerDay: 20, day: "", introduced: [] });
  assert.deepEqual(core.cleanSettings({ newPerDay: 5, day: "2026-11-02", introduced: ["a", 3, "b"] }),
    { newPerDay: 5, day: "2026-11-02", introduced: ["a", "b"] });
  for (const bad of [-1, 2.5, "x", 10000]) assert.equal(core.cleanSettings({ newPerDay: bad }).newPerDay, 20, bad);
  assert.equal(core.cleanSettings({ newPerDay: 0 }).newPerDay, 0, "zero: reviews only");
  assert.deepEqual(core.cleanSettings({ day: "yesterday", introduced: ["a"] }).introduced, []);
});

test("settings are saved beside the progress and read back; failures are reported", () => {
  const storage = memoryStorage({});
  const settings = core.introduce(core.cleanSettings({ newPerDay: 7 }), "a", START);
  assert.equal(core.writeSettings(storage, PREFIX, settings), true);
  assert.deepEqual([...storage.items.keys()], [PREFIX + "#practice-settings-v1"]);
  assert.deepEqual(core.readSettings(storage, PREFIX), settings);
  assert.deepEqual(core.readSettings(memoryStorage({ [PREFIX + "#practice-settings-v1"]: "{bad" }), PREFIX).newPerDay, 20);
  assert.equal(core.writeSettings(memoryStorage({}, true), PREFIX, settings), false);
  assert.equal(core.readSettings(null, PREFIX).newPerDay, 20);
});

test("new cards first rated today use up the day's limit, which starts again the next day", () => {
  let settings = core.cleanSettings({ newPerDay: 2 });
  assert.equal(core.newLeft(settings, START), 2);
  settings = core.introduce(settings, "a", START);
  settings = core.introduce(settings, "a", START + 1000);
  assert.equal(core.newLeft(settings, START), 1, "a card counts once");
  settings = core.introduce(settings, "b", START);
  assert.equal(core.newLeft(settings, START), 0);
  assert.equal(core.newLeft(settings, START + DAY), 2);
  assert.deepEqual(core.introduce(settings, "c", START + DAY).introduced, ["c"]);
  assert.equal(core.dayOf(START), "2026-11-02");
});

test("the due queue takes only the new cards the day allows; all and missed have no limit", () => {
  const progress = scheduled();
  const plan = core.planQueue("due", DECK, progress, START, 1);
  assert.deepEqual(ids(plan.queue), ["b", "a", "e"]);
  assert.equal(plan.heldBack, 1);
  assert.deepEqual(ids(core.planQueue("due", DECK, progress, START, 0).queue), ["b", "a"]);
  assert.deepEqual(ids(core.planQueue("due", DECK, progress, START, 20).queue), ["b", "a", "e", "f"]);
  assert.equal(core.planQueue("all", DECK, progress, START, 0).queue.length, DECK.length);
  assert.equal(core.planQueue("all", DECK, progress, START, 0).heldBack, 0);
});

// ---- a session: ratings, undo, skip, progress, summary ------------------------------------

test("a session moves on after each rating and puts a missed card back three cards later", () => {
  let session = core.startSession(DECK);
  session = core.recordRating(session, "missed", "before-a", true);
  assert.equal(core.currentCard(session).id, "b");
  assert.deepEqual(ids(session.queue), ["a", "b", "c", "d", "a", "e", "f"]);
  assert.deepEqual(core.sessionProgress(session), { index: 2, total: 6, repeat: false });
  for (const r of ["knew", "knew", "partly"]) session = core.recordRating(session, r, null, true);
  assert.equal(core.currentCard(session).id, "a");
  assert.deepEqual(core.sessionProgress(session), { index: 4, total: 6, repeat: true }, "a repeat is not a new card");
  session = core.recordRating(session, "knew", null, true);
  assert.deepEqual(core.sessionProgress(session), { index: 5, total: 6, repeat: false });
  assert.equal(core.recordRating(core.startSession(DECK), "missed", null, false).queue.length, 6, "no repeat asked");
});

test("undo takes back the last rating: the card is current again with what the page saved before", () => {
  let session = core.startSession(DECK);
  session = core.recordRating(session, "knew", { state: undefined }, true);
  session = core.recordRating(session, "missed", { state: "b-before" }, true);
  const undone = core.undoRating(session);
  assert.equal(undone.id, "b");
  assert.deepEqual(undone.before, { state: "b-before" });
  assert.equal(core.currentCard(undone.session).id, "b");
  assert.deepEqual(ids(undone.session.queue), ids(DECK), "the repeat of the missed card is taken back too");
  assert.deepEqual(undone.session.ratings, [{ id: "a", rating: "knew" }]);
  const again = core.undoRating(undone.session);
  assert.equal(core.currentCard(again.session).id, "a");
  assert.equal(core.undoRating(again.session), null, "nothing left to undo");
});

test("skip moves the card to the end unrated; bringForward makes a later card current", () => {
  let session = core.startSession(DECK);
  session = core.skipCard(session);
  assert.deepEqual(ids(session.queue), ["b", "c", "d", "e", "f", "a"]);
  assert.equal(session.ratings.length, 0);
  assert.deepEqual(core.sessionProgress(session), { index: 1, total: 6, repeat: false });
  session = core.bringForward(session, 4);
  assert.deepEqual(ids(session.queue), ["f", "b", "c", "d", "e", "a"]);
  const last = { ...session, position: 5 };
  assert.equal(core.skipCard(last), last, "the last card stays");
  assert.equal(core.bringForward(last, 2), last, "never a card already behind");
});

test("a session is done when every card is rated; the summary counts each card once", () => {
  const cards = DECK.slice(0, 3);
  let session = core.startSession(cards);
  const progress = core.emptyProgress();
  for (const rating of ["missed", "knew", "partly", "knew"]) {
    const card = core.currentCard(session);
    progress.cards[card.id] = core.rate(progress.cards[card.id], rating, START);
    session = core.recordRating(session, rating, null, true);
  }
  assert.equal(core.sessionDone(session), true);
  assert.equal(core.currentCard(session), null);
  assert.deepEqual(core.sessionSummary(session, cards, progress, START),
    { rated: 3, missed: 1, partly: 1, knew: 1, dueTomorrow: 1 });
  // a is due tomorrow (missed then knew: two days); b (knew) in two days; c (partly) tomorrow.
});

test("an empty queue says why: filters that match nothing, with the filter to clear", () => {
  const progress = core.emptyProgress();
  const filters = { topic: "gpus", level: "", tag: "scenario", mode: "due" };
  assert.deepEqual(core.explainEmpty(filters, CARDS, progress, START, 20), { reason: "no-match", fixes: ["tag", "topic"] });
  const three = { topic: "gpus", level: "intermediate", tag: "scenario", mode: "due" };
  assert.deepEqual(core.explainEmpty(three, CARDS, progress, START, 20), { reason: "no-match", fixes: ["topic"] },
    "only the filters that alone bring cards back are offered (the page always offers clearing all)");
  assert.deepEqual(core.explainEmpty({ ...filters, tag: "", mode: "missed" }, CARDS, progress, START, 20),
    { reason: "none-missed" });
});

test("an empty due queue says whether the daily limit or the schedule emptied it", () => {
  const progress = core.emptyProgress();
  progress.cards.a = core.rate(undefined, "knew", START);
  progress.cards.b = core.rate(undefined, "missed", START);
  const gpus = { topic: "gpus", level: "", tag: "", mode: "due" };
  assert.deepEqual(core.explainEmpty(gpus, CARDS, progress, START, 0),
    { reason: "nothing-due", nextDue: progress.cards.b.due });
  const all = core.defaultFilters();
  assert.deepEqual(core.explainEmpty(all, CARDS, progress, START, 0),
    { reason: "new-limit", waiting: 2, nextDue: progress.cards.b.due });
  assert.deepEqual(core.explainEmpty(all, CARDS, core.emptyProgress(), START, 0),
    { reason: "new-limit", waiting: 4, nextDue: null });
});

// ---- your own answers ---------------------------------------------------------------------

test("own answers are kept with the progress, cleaned, and travel in an export", () => {
  const progress = core.emptyProgress();
  core.setOwnAnswer(progress, "q1", "Batch jobs trade latency for throughput.\n\n");
  core.setOwnAnswer(progress, "q2", "   ");
  assert.deepEqual(plain(progress.answers), { q1: "Batch jobs trade latency for throughput." });
  core.setOwnAnswer(progress, "q1", "");
  assert.deepEqual(plain(progress.answers), {});

  core.setOwnAnswer(progress, "q1", "x".repeat(core.MAX_OWN_ANSWER + 5));
  assert.equal(progress.answers.q1.length, core.MAX_OWN_ANSWER);
  const exported = JSON.stringify({ version: 2, cards: {}, answers: { q1: "mine", gone: "old", q2: 7 } });
  const imported = core.parseImport(exported, { q1: true, q2: true });
  assert.deepEqual(plain(imported.answers), { q1: "mine" }, "only text, only questions that still exist");
  assert.deepEqual(plain(core.cleanProgress(JSON.parse(exported), null).answers), { q1: "mine", gone: "old" });
  assert.deepEqual(plain(core.cleanProgress({ version: 2, cards: {} }, null).answers), {}, "older saves have none");
});
