"""The review page driven in headless Chromium: on the sample, then `restore apply` on its
decisions (rejections, bulk decisions, a note and a correction); and on a whole book cleaned in
chunks, whose load time, JS heap and scrolling are measured (printed, not asserted).

Uses Debian's /usr/bin/chromium through Playwright's Python API (never a downloaded
browser). Skips, saying why, where Chromium or Playwright is missing; .ci/run installs
chromium with apt-get so CI runs it for real.
"""

import json
import os
import shutil
import statistics
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from restore.batch import clean_file
from restore.cli import main
from restore.config import Config
from restore.files import Input, read_source
from restore.record import LAYOUT_KINDS, Edit, apply_edits

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
EVAL = Path(__file__).parent.parent.parent / "shared" / "eval"
BOOK = EVAL / "icdar2017-en" / "ocr" / "eng_monograph-81.txt"  # 113,000 words

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]

# The page's text as a reader sees it: every section rendered, removed text, glyphs and flag
# markers left out.
SHOWN_TEXT = """(view) => {
  for (let k = 0; k < restoreReview.sections; k++) restoreReview.show(k);
  const root = document.querySelector(view).cloneNode(true);
  root.querySelectorAll('del, .g, .fm, .b').forEach(el => el.remove());
  return root.textContent;
}"""


def reveal(page, item_id):
    """Scroll the text to an edit or flag, as a reader would before clicking it."""
    assert page.evaluate("id => restoreReview.reveal(id)", item_id)


# Two painted frames, or 250 ms if headless Chromium stops painting (it has, once in many runs:
# the evaluate then waited for ever and held CI). A JS function of one callback.
TWO_FRAMES = (
    "(done => { let over = false; const end = () => { if (!over) { over = true; done(); } };"
    " requestAnimationFrame(() => requestAnimationFrame(end)); setTimeout(end, 250); })"
)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed"
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_and_record(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    source = folder / "sample.txt"
    shutil.copyfile(SAMPLE, source)
    result = CliRunner().invoke(main, ["clean", str(source), "-o", str(folder / "out"), "-q"])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((folder / "out" / "sample.html").as_uri())
    page.wait_for_selector("body.ready")
    yield page, folder, errors
    context.close()


def test_review_in_chromium_then_apply(page_and_record):
    page, folder, errors = page_and_record
    record = json.loads((folder / "out" / "sample.json").read_text(encoding="utf-8"))
    output = (folder / "out" / "sample.txt").read_text(encoding="utf-8")
    edits = [Edit.from_json(e) for e in record["edits"]]
    flags = [
        f["id"] for f in sorted(record["flags"], key=lambda f: (f["output_span"][0], f["output_span"][1]))
    ]  # reading order
    top = [e.id for e in edits if e.superseded_by is None]

    # Only the sections near the screen are rendered; all of them read back as the output.
    assert page.evaluate("restoreReview.rendered()") < page.evaluate("restoreReview.sections")
    assert page.evaluate(SHOWN_TEXT, "#itext") == output

    # Layout-only changes are hidden by default; shown, every change and every flag is visible.
    layout = next(e.id for e in edits if e.kind in LAYOUT_KINDS and e.superseded_by is None and e.before)
    shown_del = f"getComputedStyle(document.querySelector('#itext .ed[data-e=\"{layout}\"] del')).display"
    assert page.evaluate(shown_del) == "none"
    page.check("#f-layout")
    assert page.evaluate(shown_del) != "none"
    visible = page.evaluate("""() => Array.from(document.querySelectorAll('#itext .ed, #itext .fm'))
        .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map(el => el.dataset.e || el.dataset.flag)""")
    assert sorted(v for v in visible if v.startswith("e")) == sorted(top)
    assert [v for v in visible if v.startswith("f")] == flags
    page.uncheck("#f-layout")

    # Every flag is reached with the f key, one press each, in order.
    page.locator("header").click(position={"x": 5, "y": 5})
    reached = []
    for _ in flags:
        page.keyboard.press("f")
        reached.append(page.evaluate("document.querySelector('#itext .fm.cur').dataset.flag"))
    assert reached == flags

    # Reject a few edits: one by click and button, one with the r key, and an edit others build on.
    chosen = [
        e
        for e in edits
        if e.superseded_by is None and not e.depends_on and e.kind not in LAYOUT_KINDS and e.kind != "quote"
    ][:2]
    assert len(chosen) == 2
    reveal(page, chosen[0].id)
    page.locator(f"#itext .ed[data-e='{chosen[0].id}']").click()
    page.click("#insp button[data-act='reject']")
    reveal(page, chosen[1].id)
    page.locator(f"#itext .ed[data-e='{chosen[1].id}']").click()
    page.keyboard.press("r")
    base = next(e for e in edits if e.superseded_by)
    dependent = base.superseded_by
    page.check("#f-layout")
    reveal(page, dependent)
    page.locator(f"#itext .ed[data-e='{dependent}']").focus()  # keyboard focus selects too
    page.click(f"#insp .chain li:has(.id:text-is('{base.id}')) button[data-act='reject']")
    for eid in (chosen[0].id, chosen[1].id):
        reveal(page, eid)  # rendered again, painted as decided
        assert "rej" in page.get_attribute(f"#itext .ed[data-e='{eid}']", "class").split(), eid
    # The edit built on the rejected one is visibly not applied (what else it builds on may still be).
    reveal(page, dependent)
    shown = page.get_attribute(f"#itext .ed[data-e='{dependent}']", "class").split()
    assert "dropped" in shown and ("rej" in shown or "partial" in shown)
    assert "builds on a rejected edit" in page.inner_text("#insp .state")
    page.uncheck("#f-layout")

    # Many at once: every edit that makes the same change ('' -> ”), from the inspector.
    quote = next(e for e in edits if e.kind == "quote" and e.superseded_by is None)
    same = [
        e.id for e in edits if e.superseded_by is None and (e.before, e.after) == (quote.before, quote.after)
    ]
    assert len(same) > 1
    reveal(page, quote.id)
    page.locator(f"#itext .ed[data-e='{quote.id}']").click()
    assert f"{len(same)} changes make this same change" in page.inner_text("#insp .same")
    page.click("#insp [data-same='reject']")
    # And by kind through the navigator: list the hyphen joins, reject them all, accept one back.
    page.select_option("#n-kind", "e:hyphen-join")
    joins = [e.id for e in edits if e.kind == "hyphen-join" and e.superseded_by is None]
    assert page.locator("#navlist .nr").count() == len(joins)
    page.click("#b-reject-shown")
    back = next(j for j in joins if j not in {c.id for c in chosen})
    page.click(f"#navlist .nr[data-id='{back}']")
    page.click("#insp button[data-act='accept']")
    page.select_option("#n-kind", "")

    # A note on the first flag, found in the navigator, and a correction typed for another.
    page.select_option("#n-what", "flags")
    page.click(f"#navlist .nr[data-id='{flags[0]}']")
    page.keyboard.press("Enter")
    page.keyboard.type("check the printed edition")
    page.keyboard.press("Escape")
    target = next(f for f in record["flags"] if f["id"] == flags[-1])
    page.fill("#n-text", target["id"])
    # The filter matches ids as text: "f2" lists f2 and f20 alike.
    page.wait_for_function(
        """id => { const rows = Array.from(document.querySelectorAll('#navlist .nr'));
            return rows.some(r => r.dataset.id === id) && rows.every(r => r.dataset.id.startsWith(id)); }""",
        arg=target["id"],
    )
    page.click(f"#navlist .nr[data-id='{target['id']}']")
    prefill = page.input_value("#fix")
    typed = prefill.replace(" ", " [restored] ", 1) if " " in prefill else prefill + " [restored]"
    page.fill("#fix", typed)
    page.click("#insp [data-act='correct']")
    assert "corrected" in page.inner_text("#insp .cstate")
    page.fill("#n-text", "")
    page.select_option("#n-what", "all")

    # The side-by-side view shows the source line by line and keeps the panes in step.
    page.locator("header").click(position={"x": 5, "y": 5})
    page.keyboard.press("s")
    assert page.locator("#sbs").is_visible()
    page.evaluate("const src = document.getElementById('src'); src.scrollTop = src.scrollHeight / 3")
    page.wait_for_timeout(400)
    page.evaluate("document.getElementById('src').scrollTop += 1")
    page.wait_for_timeout(400)
    drift = page.evaluate("""() => {
        const src = document.getElementById('src'), out = document.getElementById('out');
        const r = src.getBoundingClientRect();
        const ln = document.elementFromPoint(r.left + 80, r.top + 44).closest('.ln');
        const n = +ln.dataset.l;
        const anchors = Array.from(out.querySelectorAll('.sec.on .anc')).filter(a => +a.dataset.l <= n);
        const a = anchors[anchors.length - 1];
        return [n, (a.getBoundingClientRect().top - out.getBoundingClientRect().top)
                   - (ln.getBoundingClientRect().top - r.top)];
    }""")
    assert drift[0] > 50 and abs(drift[1]) < 60, drift
    # The flagged passage keeps its mark side by side.
    assert page.locator("#out .fl").count() > 0
    page.screenshot(path=str(folder / "side-by-side.png"))
    page.keyboard.press("s")

    with page.expect_download() as download:
        page.click("#b-export")
    saved = folder / "decisions.json"
    download.value.save_as(saved)
    page.screenshot(path=str(folder / "report.png"), full_page=False)
    assert errors == []

    decisions = json.loads(saved.read_text(encoding="utf-8"))
    assert decisions["source_sha256"] == record["source_sha256"]
    assert decisions["record"] == "sample.json"
    rejected = {chosen[0].id, chosen[1].id, base.id, *same, *joins} - {back}
    assert decisions["edits"] == {i: "reject" for i in sorted(rejected, key=lambda i: int(i[1:]))}
    assert decisions["flags"] == {flags[0]: "check the printed edition"}
    [correction] = decisions["corrections"]
    assert correction["target"] == target["id"] and correction["after"] == typed
    assert correction["stage"] == "review" and correction["kind"] == "correction"

    final = folder / "final.txt"
    result = CliRunner().invoke(
        main, ["apply", str(folder / "out" / "sample.json"), "--decisions", str(saved), "-o", str(final)]
    )
    assert result.exit_code == 0, result.output
    source_text = read_source(folder / "sample.txt").text
    s, t = correction["source_span"]
    # What apply must give: the accepted edits outside the corrected span, the typed text inside it.
    kept = [e.id for e in edits if e.id not in rejected]
    left, _ = apply_edits(source_text[:s], [e for e in edits if e.source_span[1] <= s], kept)
    inside = {e.id for e in edits if e.source_span[0] < t and s < e.source_span[1]}
    right_edits = [e for e in edits if e.source_span[0] >= t and e.id not in inside]
    shifted = [replace(e, source_span=(e.source_span[0] - t, e.source_span[1] - t)) for e in right_edits]
    right, _ = apply_edits(source_text[t:], shifted, kept)
    assert final.read_text(encoding="utf-8") == left + typed + right
    _, dropped = apply_edits(source_text, edits, kept)
    assert any(f"builds on rejected {base.id}" in line for line in dropped)
    assert f"{dependent} " in result.output and f"builds on rejected {base.id}" in result.output
    notes = (folder / "final.notes.md").read_text(encoding="utf-8")
    assert "- note: check the printed edition" in notes and f"at {target['id']}" in notes
    assert (folder / "report.png").stat().st_size > 10_000


def test_decisions_survive_a_reload(page_and_record):
    page, folder, errors = page_and_record
    before = page.evaluate("JSON.stringify(restoreDecisions())")
    page.reload()
    page.wait_for_selector("body.ready")
    assert page.evaluate("JSON.stringify(restoreDecisions())") == before
    assert errors == []


@pytest.mark.skipif(not BOOK.is_file(), reason=f"{BOOK} not here (../shared/eval)")
def test_a_whole_book_in_chunks_opens_fast_and_renders_every_chunk(browser, tmp_path):
    """eng_monograph-81 (113,000 words) cleaned in four chunks: the page holds every chunk,
    and its load time, JS heap and scrolling are measured and printed (figures in BENCHMARKS.md)."""
    shutil.copyfile(BOOK, tmp_path / BOOK.name)
    config = Config(spacy_model="none", chunk_chars=200_000)
    outcome = clean_file(Input(tmp_path / BOOK.name, Path(BOOK.name)), tmp_path / "out", config)
    assert outcome.ok, outcome.message
    html = tmp_path / "out" / BOOK.with_suffix(".html").name
    record = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    output = html.with_suffix(".txt").read_text(encoding="utf-8")
    assert record["stats"]["chunks"] == 4
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    started = time.perf_counter()
    page.goto(html.as_uri(), timeout=120_000)
    page.wait_for_selector("body.ready", timeout=120_000)
    page.evaluate(f"new Promise(r => {{ {TWO_FRAMES}(r); }})")
    load_s = time.perf_counter() - started
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    sections = page.evaluate("restoreReview.sections")
    rendered = page.evaluate("restoreReview.rendered()")
    assert page.evaluate("[restoreReview.edits, restoreReview.flags]") == [
        len(record["edits"]),
        len(record["flags"]),
    ]
    # Scrolling through the whole book a screen at a time: how long each step takes to paint.
    steps = page.evaluate(
        """async () => {
        const times = [];
        const began = performance.now();
        while (window.scrollY + innerHeight < document.documentElement.scrollHeight - 10 && times.length < 2000
               && performance.now() - began < 60000) {
            const t0 = performance.now();
            window.scrollBy(0, innerHeight);
            await new Promise(r => { """
        + TWO_FRAMES
        + """(r); });
            times.push(performance.now() - t0);
        }
        return times;
    }"""
    )
    assert len(steps) > 50
    rendered_after = page.evaluate("restoreReview.rendered()")
    # Every chunk is there: the last flag of the last chunk is reachable, and all sections
    # together read back as the whole restored book.
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("F")
    last_flag = max(record["flags"], key=lambda f: f["output_span"])["id"]
    assert page.evaluate("document.querySelector('#itext .fm.cur').dataset.flag") == last_flag
    assert page.evaluate(SHOWN_TEXT, "#itext") == output
    assert errors == []
    figures = {
        "book": BOOK.name,
        "words": record["stats"]["words_in"],
        "chunks": record["stats"]["chunks"],
        "edits": len(record["edits"]),
        "flags": len(record["flags"]),
        "html_mib": round(html.stat().st_size / 2**20, 1),
        "sections": sections,
        "load_s": round(load_s, 2),
        "js_heap_mib": round(metrics["JSHeapUsedSize"] / 2**20, 1),
        "dom_nodes": int(metrics["Nodes"]),
        "sections_rendered_at_load": rendered,
        "sections_rendered_after_scrolling": rendered_after,
        "scroll_step_ms_median": round(statistics.median(steps), 1),
        "scroll_step_ms_max": round(max(steps), 1),
        "scroll_steps": len(steps),
    }
    print("review page at book length:", json.dumps(figures))
    context.close()
