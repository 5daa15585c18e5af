"""The site's own search (qbank/search.py builds the index, docs/javascripts/search.js reads it):
the same word rules in Python and in the browser, the field's vocabulary, ranking, readable
excerpts, filters, the keyboard, and landing on the question with its answer open."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank import search
from qbank.bank import Bank
from tests.conftest import ROOT

SEARCH_JS = ROOT / "docs" / "javascripts" / "search.js"
SAMPLE = ("All-reduce and KV-cache math: p99 TTFT on an A100 with INT8 weights, torch.compile, "
          "max_restarts=3, Kubernetes' GPUs, queries, caches, status, 1.5 TB/s, back-pressure (k8s).")


def _node(script: str) -> object:
    result = subprocess.run(["node", "-e", f"const S = require({json.dumps(str(SEARCH_JS))});\n{script}"],
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_python_and_the_browser_split_text_into_the_same_words() -> None:
    texts = [SAMPLE, "Ünïcode — naïve café, «quotes», x86_64 and GPT-4.5 vs v1.2.3; ZeRO-3/FSDP."]
    ours = [[search.words(t), search.compounds(t)] for t in texts]
    theirs = _node(f"""const texts = {json.dumps(texts)};
console.log(JSON.stringify(texts.map(t => [S.words(t).map(w => w.term), S.compounds(t).map(c => c.term)])));""")
    assert theirs == ours


def test_short_technical_words_are_kept_and_plurals_fold() -> None:
    terms = search.words(SAMPLE)
    for kept in ("all", "p99", "ttft", "a100", "int8", "on", "an"):
        assert kept in terms
    for folded in ("gpu", "query", "cache", "status"):
        assert folded in terms
    assert {"allreduce", "kvcache", "torchcompile", "maxrestart", "backpressure"} <= set(search.compounds(SAMPLE))


def _doc(number: int, question: str, answer: str) -> search.Document:
    return search.Document(f"q{number}", f"topics/t/#q{number}", question, 0, 0, (), (("Answer", answer),))


def test_a_word_in_the_question_outranks_the_same_word_repeated_in_an_answer() -> None:
    docs = [_doc(0, "How do you size a cluster?", "Sharding sharding sharding sharding sharding everywhere."),
            _doc(1, "What is sharding?", "It splits a table."), _doc(2, "Unrelated", "Nothing here.")]
    postings = search.build_index(docs).scores("sharding")
    assert postings[1] > postings[0]


def test_spellings_written_apart_are_indexed_joined_when_the_bank_joins_them_somewhere() -> None:
    docs = [_doc(0, "Ring all-reduce?", "Cost of all-reduce."), _doc(1, "NCCL", "Each step does an all reduce."),
            _doc(2, "Backpressure", "Queues apply back pressure."), _doc(3, "Caches", "A kv cache grows.")]
    index = search.build_index(docs, search.Synonyms((("k8s", "kubernete"),)))
    assert set(index.scores("allreduce")) == {0, 1}
    assert set(index.scores("backpressure")) == {2}
    assert "kvcache" not in index.postings, "two words are joined only where the bank writes them joined"


def test_synonyms_index_every_member_where_one_occurs() -> None:
    docs = [_doc(0, "Scheduling on Kubernetes", "Pods."), _doc(1, "Slurm", "Batch jobs.")]
    index = search.build_index(docs, search.Synonyms((("k8s", "kubernete"),)))
    assert list(index.scores("k8s")) == [0]


@pytest.mark.parametrize(("content", "message"), [
    ('{"groups": [["k8s"]]}', "group 1 must be a list of two or more words"),
    ('{"groups": [["k8s", "kube rnetes"]]}', "'kube rnetes' is not one word"),
    ('{"groups": [["k8s", "kubernetes"], ["kubernetes", "kube"]]}', "'kubernetes' is in groups 1 and 2; merge them"),
    ('{"synonyms": []}', 'expected {"groups"'),
    ("{", "cannot read it"),
])
def test_a_bad_synonym_file_says_what_to_fix(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "search-synonyms.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(search.SynonymError, match=re.escape(message)) as error:
        search.load_synonyms(path)
    assert str(error.value).startswith("data/search-synonyms.json: ")


def test_the_real_synonym_file_is_valid() -> None:
    synonyms = search.load_synonyms(ROOT / "data" / "search-synonyms.json")
    assert ("k8s", "kubernete") in synonyms.groups


# ---- in the browser -------------------------------------------------------------------------------


def _open_search(page: Page, site_url: str, query: str, path: str = "") -> None:
    page.goto(site_url + path)
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.locator("input.md-search__input").press_sequentially(query, delay=10)
    expect(page.locator(".md-search-result__link").first).to_be_visible()


def _first_hit(page: Page) -> str:
    return page.locator(".md-search-result__link").first.get_attribute("data-qa-search-hit")


def _docs(site: Path) -> list[dict]:
    count = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))["count"]
    return [json.loads((site / "search" / "q" / f"{n}.json").read_text(encoding="utf-8")) for n in range(count)]


@pytest.mark.browser
def test_a_result_shows_its_topic_level_and_a_run_of_the_answers_real_words(page: Page, site_url: str,
                                                                           built_site: Path, real_bank: Bank) -> None:
    _open_search(page, site_url, "silhouette")
    hit = page.locator(".md-search-result__item").first
    doc = next(d for d in _docs(built_site) if d["id"] == _first_hit(page))
    expect(hit.locator(".qa-search-meta")).to_contain_text(f"{doc['topic']} · {doc['level'].title()}")
    excerpt = hit.locator(".qa-search-excerpt")
    expect(excerpt.locator("mark")).to_have_text(re.compile("^silhouette$", re.I))
    shown = excerpt.inner_text().strip(" …")
    answer = dict(doc["sections"])["Answer"]
    assert len(shown.split()) >= 15, "an excerpt, not a snippet of a few words"
    assert shown in answer, "the excerpt is consecutive words of the real answer, not a bag of words"


VOCABULARY = [
    ("all-reduce", "allreduce", "all reduce", "AllReduce"),
    ("back-pressure", "backpressure"),
    ("kv cache", "kv-cache", "KV-cache", "kvcache"),
    ("k8s gang scheduling", "kubernetes gang scheduling"),
    ("ddp", "DistributedDataParallel"),
]


@pytest.mark.browser
@pytest.mark.parametrize("forms", VOCABULARY, ids=lambda forms: forms[0])
def test_every_spelling_of_a_term_finds_the_same_first_question(page: Page, site_url: str,
                                                                forms: tuple[str, ...]) -> None:
    firsts = []
    for form in forms:
        _open_search(page, site_url, form)
        firsts.append(_first_hit(page))
    assert len(set(firsts)) == 1, dict(zip(forms, firsts, strict=True))


@pytest.mark.browser
@pytest.mark.parametrize("word", ["all", "p99", "a100", "int8", "ttft"])
def test_short_technical_words_are_searchable(page: Page, site_url: str, built_site: Path, word: str) -> None:
    _open_search(page, site_url, word + " ")
    doc = next(d for d in _docs(built_site) if d["id"] == _first_hit(page))
    text = " ".join([doc["q"], *(s[1] for s in doc["sections"])]).lower()
    assert re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", text), f"{word!r} led to {doc['id']}"


@pytest.mark.browser
def test_a_quoted_phrase_matches_only_the_phrase(page: Page, site_url: str, built_site: Path) -> None:
    _open_search(page, site_url, '"error budget"')
    hits = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.dataset.qaSearchHit)")
    docs = {d["id"]: d for d in _docs(built_site)}
    for hit in hits:
        text = " ".join([docs[hit]["q"], *(s[1] for s in docs[hit]["sections"])]).lower()
        assert re.search(r"error[\s-]+budget", text), hit


@pytest.mark.browser
def test_filters_keep_only_the_chosen_topic_and_level(page: Page, site_url: str, real_bank: Bank) -> None:
    _open_search(page, site_url, "latency")
    topic = real_bank.topics[[t.slug for t in real_bank.topics].index("serving")]
    page.locator("[data-qa-search-topic]").select_option(label=topic.title.value)
    page.locator("[data-qa-search-level]").select_option(label="Advanced")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    metas = page.locator(".qa-search-meta").all_inner_texts()
    assert metas
    assert all(m.startswith(f"{topic.title.value} · Advanced") for m in metas), metas
    page.locator("[data-qa-search-topic]").select_option(label=real_bank.topic("governance").title.value)
    page.locator("input.md-search__input").fill("kv cache pagedattention")
    expect(page.locator("[data-qa-search-status]")).to_have_text(re.compile("No matching questions with these filters"))


@pytest.mark.browser
def test_the_dialog_works_from_the_keyboard(page: Page, site_url: str) -> None:
    page.goto(site_url)
    # After an instant navigation (the theme swaps the page's content, not the document) too.
    page.locator(".qa-cards a", has_text="GPUs and accelerators").first.click()
    expect(page).to_have_url(re.compile(r"topics/gpus/$"))
    page.wait_for_load_state("networkidle")  # the theme closes search as a navigation ends
    for key in ("s", "f", "/"):
        page.keyboard.press(key)
        expect(page.locator("input.md-search__input")).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.locator("#__search")).not_to_be_checked()
    page.keyboard.press("/")
    page.keyboard.type("speculative decoding")
    expect(page.locator(".md-search-result__link").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result__link").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result__link").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("input.md-search__input")).to_be_focused()
    first = page.locator(".md-search-result__link").first.get_attribute("data-qa-search-hit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#{first}$"))
    expect(page.locator(f'details.qa[data-question="{first}"]')).to_have_attribute("open", "")
    expect(page.locator("#__search")).not_to_be_checked()


def _heading_in_view(page: Page, question_id: str) -> None:
    box = page.eval_on_selector(f"#{question_id}", """el => {
        const r = el.getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, header: header.bottom, height: innerHeight}; }""")
    assert box["top"] >= box["header"] - 1, f"the heading is under the sticky header: {box}"
    assert box["bottom"] <= box["height"], f"the heading is not fully in view: {box}"


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height", "touch"), [(375, 740, True), (1280, 800, False)])
def test_a_result_lands_on_its_heading_with_the_answer_open_and_the_words_marked(
        browser: object, site_url: str, width: int, height: int, touch: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        # From another topic's page, so the result is an instant navigation to a new page.
        _open_search(page, site_url, "backpressure", path="topics/gpus/")
        target = _first_hit(page)
        link = page.locator(".md-search-result__link").first
        link.tap() if touch else link.click()
        expect(page).to_have_url(re.compile(rf"#{target}$"))
        answer = page.locator(f'details.qa[data-question="{target}"]')
        expect(answer).to_have_attribute("open", "")
        expect(answer.locator("mark[data-md-highlight]").first).to_have_text(re.compile("back-?pressure", re.I))
        page.wait_for_timeout(1000)  # after the page has settled
        _heading_in_view(page, target)
        assert not errors, errors
    finally:
        context.close()
