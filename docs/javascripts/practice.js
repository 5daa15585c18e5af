// The practice page (flashcards). The schedule, the shape of saved progress and the queues are in
// study-core.js (window.StudyCore); storage, data loading and DOM helpers are shared by study.js
// (window.StudyPage). Both load before this file.
(function () {
  "use strict";

  var core = window.StudyCore;
  var page = window.StudyPage;
  var RATINGS = core.RATINGS;
  var loadProgress = page.loadProgress;
  var saveProgress = page.saveProgress;
  var loadJson = page.loadJson;
  var idsOf = page.idsOf;
  var days = page.days;
  var el = page.el;
  var siteRoot = page.siteRoot;

  // ---- practice page ------------------------------------------------------------------------

  function Practice(root, deck) {
    this.root = root;
    this.deck = deck;
    this.ids = idsOf(deck);
    this.progress = loadProgress(this.ids);
    this.filters = { topic: "", difficulty: "", tag: "", mode: "due" };
    this.revealed = false;
    this.render();
    this.restart();
  }

  Practice.prototype.filtered = function () {
    var f = this.filters;
    return this.deck.cards.filter(function (c) {
      return (!f.topic || c.topic === f.topic) &&
        (!f.difficulty || c.difficulty === f.difficulty) &&
        (!f.tag || c.tags.indexOf(f.tag) !== -1);
    });
  };

  Practice.prototype.restart = function () {
    this.queue = core.buildQueue(this.filters.mode, this.filtered(), this.progress, Date.now());
    this.position = 0;
    this.show();
  };

  Practice.prototype.current = function () {
    return this.queue[this.position] || null;
  };

  Practice.prototype.select = function (name, label, options) {
    var select = el("select", { "data-filter": name, "aria-label": label });
    options.forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
    return el("label", { class: "qa-practice__filter" }, [el("span", { text: label }), select]);
  };

  Practice.prototype.button = function (action, label, extra) {
    var attributes = { type: "button", class: "md-button qa-practice__button", "data-action": action };
    Object.keys(extra || {}).forEach(function (k) { attributes[k] = extra[k]; });
    return el("button", attributes, [document.createTextNode(label)]);
  };

  Practice.prototype.render = function () {
    var self = this;
    var tags = Object.create(null);
    this.deck.cards.forEach(function (c) { c.tags.forEach(function (t) { tags[t] = true; }); });
    var filters = el("div", { class: "qa-practice__filters" }, [
      this.select("topic", "Topic", [["", "All topics"]].concat(this.deck.topics.map(function (t) {
        return [t.slug, t.title];
      }))),
      this.select("difficulty", "Difficulty", [["", "All levels"], ["foundational", "Foundational"],
        ["intermediate", "Intermediate"], ["advanced", "Advanced"]]),
      this.select("tag", "Tag", [["", "All tags"]].concat(Object.keys(tags).sort().map(function (t) {
        return [t, "#" + t];
      }))),
      this.select("mode", "Cards", [["due", "Due and new"], ["missed", "Only what I missed"], ["all", "All cards"]])
    ]);
    this.countsLine = el("p", { class: "qa-practice__counts", "aria-live": "polite" });
    this.card = el("section", { class: "qa-card", "aria-label": "Flashcard" });
    this.rateButtons = [
      this.button("rate", "Missed (1)", { "data-rating": "missed" }),
      this.button("rate", "Partly (2)", { "data-rating": "partly" }),
      this.button("rate", "Knew it (3)", { "data-rating": "knew" })
    ];
    var rateRow = el("div", { class: "qa-practice__row" }, [this.button("reveal", "Show answer (Space)")]
      .concat(this.rateButtons));
    var moveRow = el("div", { class: "qa-practice__row" }, [
      this.button("prev", "← Previous"),
      this.button("skip", "Skip"),
      this.button("next", "Next →"),
      this.button("random", "Random question")
    ]);
    this.importInput = el("input", { type: "file", accept: "application/json,.json", class: "qa-practice__file",
      "data-action": "import", "aria-label": "Import progress from a file" });
    var progressRow = el("div", { class: "qa-practice__row qa-practice__row--progress" }, [
      this.button("export", "Export progress"),
      el("label", { class: "md-button qa-practice__button" }, [document.createTextNode("Import progress"),
        this.importInput]),
      this.button("reset", "Reset progress")
    ]);
    var keys = el("p", { class: "qa-practice__keys", text:
      "Keyboard: Space shows the answer, 1 / 2 / 3 rate it (missed, partly, knew it), ← and → move between cards." });
    this.root.textContent = "";
    [filters, this.countsLine, rateRow, moveRow, this.card, keys, progressRow].forEach(function (n) {
      self.root.appendChild(n);
    });
    filters.addEventListener("change", function (event) {
      self.filters[event.target.getAttribute("data-filter")] = event.target.value;
      self.restart();
    });
    this.root.addEventListener("click", function (event) {
      var target = event.target.closest("[data-action]");
      if (!target || target.tagName === "INPUT") return;
      self.act(target.getAttribute("data-action"), target.getAttribute("data-rating"));
    });
    this.importInput.addEventListener("change", function () { self.importFile(self.importInput.files[0]); });
  };

  Practice.prototype.act = function (action, rating) {
    if (action === "reveal") this.reveal();
    else if (action === "rate") this.rateCurrent(rating);
    else if (action === "prev") this.move(-1);
    else if (action === "next") this.move(1);
    else if (action === "skip") this.skip();
    else if (action === "random") this.random();
    else if (action === "export") this.exportFile();
    else if (action === "reset") this.reset();
  };

  Practice.prototype.show = function () {
    var card = this.current();
    var c = core.counts(this.filtered(), this.progress, Date.now());
    var where = this.queue.length ? "Card " + (this.position + 1) + " of " + this.queue.length : "No cards in this queue";
    this.countsLine.textContent = where + " · " + c.dueToday + " due today · " + c.missed + " missed · " +
      c.known + " known · " + c.fresh + " new";
    this.revealed = false;
    // A card is rated only after its answer was seen: no rating, by button or key, before that.
    this.rateButtons.forEach(function (button) { button.disabled = true; });
    this.card.textContent = "";
    this.root.classList.toggle("qa-practice--empty", !card);
    if (!card) {
      this.card.appendChild(el("p", { class: "qa-card__empty", text: this.filters.mode === "missed" ?
        "Nothing missed here. Well done." : "Nothing due right now. Come back later, or choose “All cards”." }));
      return;
    }
    var state = this.progress.cards[card.id];
    var status = state ? "Last time: " + RATINGS[state.last] + " · interval " + days(state.scheduled_days) : "New card";
    var answer = el("div", { class: "qa-card__answer", hidden: "" });
    answer.innerHTML = card.answer; // sanitized at build time (qbank/render.py, nh3)
    answer.appendChild(el("p", { class: "qa-card__more" }, [el("a", {
      href: new URL(card.url, siteRoot()).toString(), text: "How to answer it, an example answer and follow-ups →"
    })]));
    this.card.setAttribute("data-card", card.id);
    this.card.appendChild(el("p", { class: "qa-card__meta", text: card.topicTitle + " · " +
      card.difficulty.charAt(0).toUpperCase() + card.difficulty.slice(1) + " · " + status }));
    this.card.appendChild(el("p", { class: "qa-card__question", text: card.question }));
    this.card.appendChild(answer);
  };

  Practice.prototype.reveal = function () {
    var answer = this.card.querySelector(".qa-card__answer");
    if (!answer) return;
    answer.hidden = false;
    this.revealed = true;
    this.rateButtons.forEach(function (button) { button.disabled = false; });
  };

  Practice.prototype.rateCurrent = function (rating) {
    var card = this.current();
    if (!card || !RATINGS[rating] || !this.revealed) return;
    this.progress.cards[card.id] = core.rate(this.progress.cards[card.id], rating, Date.now());
    saveProgress(this.progress);
    if (rating === "missed" && this.filters.mode !== "missed") {
      // Missed cards come back in this session, a few cards later.
      this.queue = core.repeatMissed(this.queue, this.position, card);
    }
    this.position += 1;
    if (this.position >= this.queue.length) {
      // End of this session's queue: start again from what the schedule says is due now.
      this.queue = core.buildQueue(this.filters.mode, this.filtered(), this.progress, Date.now());
      this.position = 0;
    }
    this.show();
  };

  Practice.prototype.move = function (step) {
    if (!this.queue.length) return;
    this.position = (this.position + step + this.queue.length) % this.queue.length;
    this.show();
  };

  Practice.prototype.skip = function () {
    var card = this.current();
    if (!card) return;
    this.queue.splice(this.position, 1);
    this.queue.push(card);
    if (this.position >= this.queue.length) this.position = 0;
    this.show();
  };

  // A random card from the current queue: the chosen mode ("due and new", "only what I missed",
  // "all") within the topic, difficulty and tag filters. It moves to the current position, so
  // the queue keeps its length and no card is shown twice for it.
  Practice.prototype.random = function () {
    var current = this.current();
    var pool = core.buildQueue(this.filters.mode, this.filtered(), this.progress, Date.now());
    if (pool.length > 1 && current) pool = pool.filter(function (c) { return c.id !== current.id; });
    if (!pool.length) return;
    var card = pool[Math.floor(Math.random() * pool.length)];
    var at = this.queue.indexOf(card, this.position);
    if (at === -1) at = this.queue.indexOf(card);
    if (at !== -1) {
      this.queue.splice(at, 1);
      if (at < this.position) this.position -= 1;
    }
    this.queue.splice(this.position, 0, card);
    this.show();
  };

  Practice.prototype.exportFile = function () {
    var blob = new Blob([JSON.stringify(this.progress, null, 2)], { type: "application/json" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "ml-infra-interviews-progress.json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  Practice.prototype.importFile = function (file) {
    var self = this;
    if (!file) return;
    file.text().then(function (text) {
      var imported = core.parseImport(text, self.ids);
      if (imported.error) {
        self.countsLine.textContent = imported.error;
        return;
      }
      var count = Object.keys(imported.cards).length;
      Object.keys(imported.cards).forEach(function (id) { self.progress.cards[id] = imported.cards[id]; });
      saveProgress(self.progress);
      self.restart();
      self.countsLine.setAttribute("data-imported", String(count));
      self.countsLine.textContent = "Imported progress for " + count + " question" + (count === 1 ? "" : "s") +
        ". " + self.countsLine.textContent;
    }).catch(function () {
      self.countsLine.textContent = "That file could not be read.";
    });
    this.importInput.value = "";
  };

  Practice.prototype.reset = function () {
    if (!window.confirm("Forget all your practice progress in this browser? This cannot be undone.")) return;
    this.progress = core.emptyProgress();
    saveProgress(this.progress);
    this.restart();
  };

  Practice.prototype.key = function (event) {
    var keys = { " ": ["reveal"], "1": ["rate", "missed"], "2": ["rate", "partly"], "3": ["rate", "knew"],
      ArrowLeft: ["prev"], ArrowRight: ["next"] };
    var action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    this.act(action[0], action[1]);
  };

  // ---- wiring (also after Material's instant navigation) ------------------------------------

  var practice = null;

  function init() {
    var root = document.querySelector("[data-practice]");
    practice = null;
    if (root) {
      loadJson("practice/cards.json").then(function (deck) {
        if (root.isConnected) practice = new Practice(root, deck);
      }).catch(function (error) {
        root.textContent = "The practice cards could not be loaded (" + error.message + ").";
      });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (!practice || !practice.root.isConnected) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
    // Space always reveals here, even with a rating button focused (it would otherwise re-rate).
    practice.key(event);
  });

  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
