// The mock interview page, from practice/mock.json (each question with its rubric, example answer
// and follow-ups) and, for a plan in the address, downloads/plans.json. Picking, the countdown and
// scoring are in mock-core.js (window.MockCore); the schedule and saved progress are the practice
// page's (window.StudyCore, window.StudyPage): weak answers are rated "missed" there, no second store.
//
// A session: set-up, then per question the countdown (pausable; "I'm done" ends it early), an
// optional recording kept in memory only, then the rubric to tick, the example answer and the
// interviewer's next prompt; at the end a summary that sends weak answers to the practice queue.
(function () {
  "use strict";

  var mock = window.MockCore;
  var core = window.StudyCore;
  var page = window.StudyPage;
  var el = page.el;
  var LEVEL_TITLES = { foundational: "Foundational", intermediate: "Intermediate", advanced: "Advanced" };
  var TICK_MS = 250;

  var active = null; // the session on the page, so leaving the page can end it

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function minutesText(n) {
    return plural(n, "minute");
  }

  function option(value, text, selected) {
    var node = el("option", { value: value, text: text });
    if (selected) node.selected = true;
    return node;
  }

  function link(path, text) {
    return el("a", { href: new URL(path, page.siteRoot()).href, text: text });
  }

  // ---- a session --------------------------------------------------------------------------------

  function Mock(root, data, plans) {
    var self = this;
    this.root = root;
    this.questions = data.questions;
    this.topicTitles = Object.create(null);
    data.topics.forEach(function (t) { self.topicTitles[t.slug] = t.title; });
    this.ids = Object.create(null);
    this.questions.forEach(function (q) { self.ids[q.id] = true; });
    this.plans = Object.create(null);
    (plans || []).forEach(function (p) {
      self.plans[p.slug] = { title: p.title, ids: [].concat.apply([], p.days.map(function (d) { return d.questions; })) };
    });
    var known = { topics: Object.create(null), plans: this.plans };
    data.topics.forEach(function (t) { known.topics[t.slug] = true; });
    this.setup = mock.parseSetup(window.location.search, known);
    this.recordings = []; // Blob URLs made in this session, revoked when it ends
    this.micRefused = false;
    this.interval = null;
    this.renderSetup();
  }

  Mock.prototype.pool = function () {
    var plan = this.plans[this.setup.plan];
    return mock.matching(this.questions, this.setup, plan ? plan.ids : null);
  };

  Mock.prototype.show = function (children) {
    this.root.textContent = "";
    var self = this;
    children.forEach(function (child) { self.root.appendChild(child); });
  };

  Mock.prototype.remember = function () {
    var url = window.location.pathname + mock.serialiseSetup(this.setup) + window.location.hash;
    try {
      window.history.replaceState(window.history.state, "", url);
    } catch (error) {
      // The address is a convenience (a link to this set-up); the page works without it.
    }
  };

  // ---- set-up -----------------------------------------------------------------------------------

  Mock.prototype.renderSetup = function () {
    var self = this;
    var setup = this.setup;
    var parts = [];
    var heading = el("h2", { class: "qa-mock__title", tabindex: "-1", text: "Set up your interview" });
    parts.push(heading);

    var lengths = el("fieldset", { class: "qa-mock__lengths" }, [el("legend", { text: "Number of questions" })]);
    mock.LENGTHS.forEach(function (n) {
      var input = el("input", { type: "radio", name: "qa-mock-count", value: String(n), id: "qa-mock-count-" + n });
      if (n === setup.count) input.checked = true;
      lengths.appendChild(el("label", { class: "qa-mock__choice", for: "qa-mock-count-" + n }, [input, el("span", { text: String(n) })]));
    });
    lengths.addEventListener("change", function (event) {
      setup.count = Number(event.target.value);
      self.remember();
    });
    parts.push(lengths);

    var fields = el("div", { class: "qa-mock__fields" });
    var plan = this.plans[setup.plan];
    if (plan) {
      var whole = el("button", { type: "button", class: "md-button qa-mock__button", text: "Choose a topic instead" });
      whole.addEventListener("click", function () {
        setup.plan = "";
        self.remember();
        self.renderSetup();
      });
      fields.appendChild(el("p", { class: "qa-mock__plan", "data-plan": setup.plan }, [
        el("span", { text: "Questions from the study plan " }), el("strong", { text: plan.title }), el("span", { text: ". " })]));
      fields.appendChild(whole);
    } else {
      var topic = el("select", { id: "qa-mock-topic" }, [option("", "All topics", !setup.topic)]);
      Object.keys(this.topicTitles).forEach(function (slug) {
        topic.appendChild(option(slug, self.topicTitles[slug], slug === setup.topic));
      });
      var level = el("select", { id: "qa-mock-level" }, [option("", "Any level", !setup.level)]);
      mock.LEVELS.forEach(function (l) { level.appendChild(option(l, LEVEL_TITLES[l], l === setup.level)); });
      topic.addEventListener("change", function () { setup.topic = topic.value; self.remember(); self.updateCount(); });
      level.addEventListener("change", function () { setup.level = level.value; self.remember(); self.updateCount(); });
      fields.appendChild(el("p", { class: "qa-mock__field qa-mock__field--wide" }, [el("label", { for: "qa-mock-topic", text: "Topic" }), topic]));
      fields.appendChild(el("p", { class: "qa-mock__field" }, [el("label", { for: "qa-mock-level", text: "Level" }), level]));
    }
    var minutes = el("input", { type: "number", id: "qa-mock-minutes", min: String(mock.MIN_MINUTES),
      max: String(mock.MAX_MINUTES), step: "1", inputmode: "numeric", value: String(setup.minutes) });
    minutes.addEventListener("change", function () {
      setup.minutes = mock.minutesOf(minutes.value, setup.minutes);
      minutes.value = String(setup.minutes);
      self.remember();
    });
    fields.appendChild(el("p", { class: "qa-mock__field" }, [
      el("label", { for: "qa-mock-minutes", text: "Minutes each (1 to 10)" }), minutes]));
    parts.push(fields);

    this.countLine = el("p", { class: "qa-mock__count", role: "status" });
    parts.push(this.countLine);
    this.startButton = el("button", { type: "button", class: "md-button md-button--primary qa-mock__button qa-mock__start",
      text: "Start the interview" });
    this.startButton.addEventListener("click", function () { self.start(); });
    parts.push(el("p", { class: "qa-mock__actions" }, [this.startButton]));
    this.show(parts);
    this.updateCount();
  };

  Mock.prototype.updateCount = function () {
    var n = this.pool().length;
    this.countLine.textContent = n ? plural(n, "question") + " to draw from." :
      "No question matches this topic and level: choose another.";
    this.startButton.disabled = !n;
  };

  // ---- the interview ----------------------------------------------------------------------------

  Mock.prototype.start = function () {
    var self = this;
    var progress = page.loadProgress(this.ids);
    var isKnown = function (id) { return core.markOf(progress.cards[id]) === "known"; };
    this.picked = mock.pick(this.pool(), this.setup.count, isKnown);
    if (!this.picked.length) return;
    this.results = [];
    this.position = 0;
    this.ask();
  };

  Mock.prototype.ask = function () {
    var self = this;
    var q = this.picked[this.position];
    var total = this.picked.length;
    this.timer = mock.timer(this.setup.minutes * 60 * 1000);
    this.recording = null;
    this.recordedUrl = null;

    var heading = el("h2", { class: "qa-mock__title", tabindex: "-1", text: "Question " + (this.position + 1) + " of " + total });
    var meta = el("p", { class: "qa-mock__meta", text: this.topicTitles[q.topic] + " · " + LEVEL_TITLES[q.difficulty] });
    var question = el("p", { class: "qa-mock__question", "data-question": q.id, text: q.question });
    this.clockNode = el("p", { class: "qa-mock__clock", role: "timer", "aria-label": "Time left" });
    this.stateNode = el("p", { class: "qa-mock__state" });
    this.live = el("p", { class: "qa-visually-hidden", role: "status", "aria-live": "polite" });
    this.pauseButton = el("button", { type: "button", class: "md-button qa-mock__button", "data-action": "pause", text: "Pause" });
    var done = el("button", { type: "button", class: "md-button md-button--primary qa-mock__button", "data-action": "done", text: "I'm done" });
    this.recordButton = el("button", { type: "button", class: "md-button qa-mock__button", "data-action": "record", text: "Record my answer" });
    this.pauseButton.addEventListener("click", function () { self.togglePause(); });
    done.addEventListener("click", function () { self.stop(); });
    this.recordButton.addEventListener("click", function () { self.toggleRecording(); });
    var controls = el("div", { class: "qa-mock__controls", role: "group", "aria-label": "Answer controls" },
      [done, this.pauseButton]);
    if (!this.micRefused) controls.appendChild(this.recordButton);
    this.micNote = el("p", { class: "qa-mock__mic", role: "status" });
    this.questionPart = el("section", { class: "qa-mock__asking", "aria-label": "Your answer" }, [
      this.clockNode, this.stateNode, controls, this.micNote]);
    this.reviewPart = el("section", { class: "qa-mock__review", hidden: "hidden", "aria-labelledby": "qa-mock-review-title" });
    this.show([heading, meta, question, this.questionPart, this.reviewPart, this.live]);
    heading.focus();

    this.timer = mock.start(this.timer, Date.now());
    this.announce("Question " + (this.position + 1) + " of " + total + ": " + minutesText(this.setup.minutes) +
      ", starting now.");
    this.lastLeft = this.timer.duration;
    this.paint();
    this.run();
  };

  Mock.prototype.announce = function (text) {
    // Cleared first, so the same words twice in a row are read again.
    var live = this.live;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  Mock.prototype.run = function () {
    var self = this;
    this.halt();
    this.interval = window.setInterval(function () { self.step(); }, TICK_MS);
  };

  Mock.prototype.halt = function () {
    if (this.interval !== null) window.clearInterval(this.interval);
    this.interval = null;
  };

  Mock.prototype.step = function () {
    var now = Date.now();
    var left = mock.remainingAt(this.timer, now);
    if (mock.warningDue(this.lastLeft, left)) this.announce("30 seconds left.");
    this.lastLeft = left;
    this.timer = mock.tick(this.timer, now);
    if (this.timer.state === "done") this.end();
    else this.paint();
  };

  Mock.prototype.paint = function () {
    var left = mock.remainingAt(this.timer, Date.now());
    this.clockNode.textContent = mock.clock(left);
    this.clockNode.classList.toggle("qa-mock__clock--low", left <= mock.WARNING_MS);
    this.stateNode.textContent = this.timer.state === "paused" ? "Paused." : "";
  };

  Mock.prototype.togglePause = function () {
    var now = Date.now();
    if (this.timer.state === "running") {
      this.timer = mock.pause(this.timer, now);
      this.halt();
      this.pauseButton.textContent = "Resume";
      this.announce("Paused.");
    } else if (this.timer.state === "paused") {
      this.timer = mock.resume(this.timer, now);
      this.pauseButton.textContent = "Pause";
      this.announce("Resumed: " + mock.clock(mock.remainingAt(this.timer, now)) + " left.");
      this.run();
    }
    this.paint();
  };

  Mock.prototype.stop = function () {
    this.timer = mock.finish(this.timer, Date.now());
    this.end();
  };

  // The answer is over (time up or "I'm done"): stop the clock and any recording, show the review.
  Mock.prototype.end = function () {
    this.halt();
    this.stopRecording();
    var q = this.picked[this.position];
    var used = mock.elapsedAt(this.timer, Date.now());
    this.used = used;
    var timeUp = this.timer.reason === "time";
    this.clockNode.textContent = mock.clock(mock.remainingAt(this.timer, Date.now()));
    this.stateNode.textContent = timeUp ? "Time is up." : "You finished with " + mock.clock(this.timer.duration - used) + " left.";
    this.stateNode.classList.add("qa-mock__state--end");
    var controls = this.questionPart.querySelector(".qa-mock__controls");
    controls.parentNode.removeChild(controls);
    if (!this.micRefused) this.micNote.textContent = "";
    this.announce(timeUp ? "Time is up." : "Stopped at " + mock.clock(used) + ".");
    this.renderReview(q);
  };

  Mock.prototype.renderReview = function (q) {
    var self = this;
    var review = this.reviewPart;
    review.textContent = "";
    var title = el("h3", { id: "qa-mock-review-title", tabindex: "-1", text: "How did your answer do?" });
    review.appendChild(title);
    this.audioSlot = el("div", { class: "qa-mock__audio" });
    review.appendChild(this.audioSlot);
    if (this.recordedUrl) this.showRecording();

    var rubric = el("fieldset", { class: "qa-mock__rubric" }, [el("legend", { text: "Tick each point your answer really covered" })]);
    q.rubric.forEach(function (point, n) {
      var id = "qa-mock-point-" + n;
      rubric.appendChild(el("div", { class: "qa-mock__point" }, [
        el("input", { type: "checkbox", id: id, value: String(n) }), el("label", { for: id, text: point })]));
    });
    review.appendChild(rubric);

    var example = el("div", { class: "qa-mock__example" });
    example.innerHTML = q.example; // sanitized at build time (nh3 allow-list), as the topic pages show it
    review.appendChild(el("details", { class: "qa-mock__example-box" }, [el("summary", { text: "Example answer" }), example]));

    if (q.followUps.length) {
      var next = q.followUps[Math.floor(Math.random() * q.followUps.length)];
      var prompt = el("div", { class: "qa-mock__follow-up" }, [
        el("p", { class: "qa-mock__follow-up-label", text: "The interviewer's next question" }),
        el("p", { class: "qa-mock__follow-up-question", text: next.question })]);
      if (next.url) {
        var answered = el("p", { class: "qa-mock__follow-up-link" }, [el("span", { text: "Answered in the bank: " }),
          link(next.url, next.title)]);
        prompt.appendChild(answered);
      }
      review.appendChild(prompt);
    }

    var last = this.position + 1 >= this.picked.length;
    var go = el("button", { type: "button", class: "md-button md-button--primary qa-mock__button qa-mock__next",
      text: last ? "See the summary" : "Next question" });
    go.addEventListener("click", function () {
      var ticked = rubric.querySelectorAll("input:checked").length;
      self.results.push(mock.score(q.id, ticked, q.rubric.length, self.used));
      self.position += 1;
      if (last) self.summary();
      else self.ask();
    });
    review.appendChild(el("p", { class: "qa-mock__actions" }, [go]));
    review.hidden = false;
    title.focus();
  };

  // ---- recording (optional, in memory only) -----------------------------------------------------

  Mock.prototype.toggleRecording = function () {
    if (this.recording) this.stopRecording();
    else this.startRecording();
  };

  Mock.prototype.micMissing = function () {
    this.micRefused = true;
    if (this.recordButton && this.recordButton.parentNode) this.recordButton.parentNode.removeChild(this.recordButton);
    this.micNote.textContent = "The microphone is not available (refused or missing), so this interview goes on " +
      "without recording.";
  };

  Mock.prototype.startRecording = function () {
    var self = this;
    var devices = navigator.mediaDevices;
    if (!devices || !devices.getUserMedia || typeof window.MediaRecorder !== "function") {
      this.micMissing();
      return;
    }
    this.recordButton.disabled = true;
    var position = this.position;
    devices.getUserMedia({ audio: true }).then(function (stream) {
      // The answer may have ended while the browser asked for the microphone.
      if (self.position !== position || self.timer.state === "done" || !self.recordButton.isConnected) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      var recorder = new window.MediaRecorder(stream);
      var chunks = [];
      recorder.addEventListener("dataavailable", function (event) { if (event.data && event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        if (!chunks.length) return;
        var url = URL.createObjectURL(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        self.recordings.push(url);
        if (recorder.owner === self.position && self.picked) {
          self.recordedUrl = url;
          if (self.audioSlot && self.audioSlot.isConnected) self.showRecording();
        }
      });
      recorder.owner = self.position;
      recorder.start();
      self.recording = recorder;
      self.recordButton.disabled = false;
      self.recordButton.textContent = "Stop recording";
      self.recordButton.setAttribute("aria-pressed", "true");
      self.micNote.textContent = "Recording. It stays in this page and is never uploaded.";
    }, function () {
      self.recordButton.disabled = false;
      self.micMissing();
    });
  };

  Mock.prototype.stopRecording = function () {
    var recorder = this.recording;
    this.recording = null;
    if (recorder && recorder.state !== "inactive") recorder.stop();
    if (this.recordButton && this.recordButton.isConnected) {
      this.recordButton.textContent = "Record my answer";
      this.recordButton.removeAttribute("aria-pressed");
      if (recorder) this.micNote.textContent = "Recording stopped: you can play it back when this answer ends.";
    }
  };

  Mock.prototype.showRecording = function () {
    this.audioSlot.textContent = "";
    this.audioSlot.appendChild(el("p", { class: "qa-mock__audio-label", id: "qa-mock-audio-label", text: "Your recorded answer" }));
    this.audioSlot.appendChild(el("audio", { controls: "controls", src: this.recordedUrl, "aria-labelledby": "qa-mock-audio-label" }));
  };

  // ---- summary ----------------------------------------------------------------------------------

  Mock.prototype.summary = function () {
    var self = this;
    var byId = Object.create(null);
    this.picked.forEach(function (q) { byId[q.id] = q; });
    var weak = mock.weakest(this.results);
    var saved = true;
    if (weak.length) {
      var progress = page.loadProgress(this.ids);
      var now = Date.now();
      weak.forEach(function (r) { progress.cards[r.id] = core.rate(progress.cards[r.id], "missed", now); });
      saved = page.saveProgress(progress);
    }
    this.endSession();

    var heading = el("h2", { class: "qa-mock__title", tabindex: "-1", text: "Your mock interview" });
    var list = el("ol", { class: "qa-mock__results" });
    this.results.forEach(function (r) {
      var q = byId[r.id];
      var isWeak = r.share < mock.WEAK_BELOW;
      list.appendChild(el("li", { class: "qa-mock__result" + (isWeak ? " qa-mock__result--weak" : ""), "data-question": r.id }, [
        link(q.url, q.question),
        el("span", { class: "qa-mock__result-score", text: r.ticked + " of " + r.total + " rubric points (" +
          mock.percent(r) + "%) · " + mock.clock(r.used) + " of " + minutesText(self.setup.minutes) + " used" +
          (isWeak ? " · weak" : "") })]));
    });
    var parts = [heading, list];
    parts.push(el("p", { class: "qa-mock__rule", text: "A question where you ticked fewer than half of its rubric points " +
      "counts as weak and goes to your practice queue as missed." }));
    if (weak.length) {
      var added = el("div", { class: "qa-mock__added" }, [el("p", { text: (saved ? "Added to your practice queue as missed: " :
        "These would go to your practice queue as missed, but this browser cannot save your progress: ") })]);
      var names = el("ul");
      weak.forEach(function (r) { names.appendChild(el("li", { text: byId[r.id].question })); });
      added.appendChild(names);
      var go = link("practice/?mode=missed", "Practise what you missed");
      go.className = "md-button md-button--primary qa-mock__button";
      added.appendChild(el("p", { class: "qa-mock__actions" }, [go]));
      parts.push(added);
    } else {
      parts.push(el("p", { class: "qa-mock__added", text: "No answer fell below half of its rubric, so none was added to your practice queue." }));
    }
    var again = el("button", { type: "button", class: "md-button qa-mock__button", text: "Start another mock interview" });
    again.addEventListener("click", function () { self.renderSetup(); self.root.querySelector(".qa-mock__title").focus(); });
    parts.push(el("p", { class: "qa-mock__actions" }, [again]));
    this.show(parts);
    heading.focus();
  };

  // Stops the clock and the microphone and frees the recordings' memory.
  Mock.prototype.endSession = function () {
    this.halt();
    this.stopRecording();
    this.recordings.forEach(function (url) { URL.revokeObjectURL(url); });
    this.recordings = [];
    this.recordedUrl = null;
  };

  // ---- wiring (also after Material's instant navigation) ------------------------------------------

  function leave() {
    if (active) active.endSession();
    active = null;
  }

  function init() {
    var root = document.querySelector("[data-mock]");
    if (active && active.root !== root) leave();
    if (!root || root.getAttribute("data-mock-ready")) return;
    root.setAttribute("data-mock-ready", "true");
    var wantsPlan = new URLSearchParams(window.location.search).get("plan");
    var plans = wantsPlan ? page.loadJson("downloads/plans.json").then(function (d) { return d.plans; }, function () { return []; }) :
      Promise.resolve([]);
    Promise.all([page.loadJson("practice/mock.json"), plans]).then(function (loaded) {
      if (!root.isConnected) return;
      active = new Mock(root, loaded[0], loaded[1]);
    }, function () {
      root.textContent = "";
      root.appendChild(el("p", { text: "The questions could not be loaded. Reload the page to try again." }));
    });
  }

  window.addEventListener("pagehide", leave);
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
