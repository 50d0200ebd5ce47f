"""The review report driven in headless Chromium on the sample, then `restore apply` on its decisions.

Uses Debian's /usr/bin/chromium through Playwright's Python API (never a downloaded
browser). Skips, saying why, where Chromium or Playwright is missing; .ci/run installs
chromium with apt-get so CI runs it for real.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from restore.cli import main
from restore.files import read_source
from restore.record import Edit, apply_edits

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="module")
def page_and_record(tmp_path_factory):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright Python package is not installed"
    )
    folder = tmp_path_factory.mktemp("browser")
    source = folder / "sample.txt"
    shutil.copyfile(SAMPLE, source)
    result = CliRunner().invoke(main, ["clean", str(source), "-o", str(folder / "out"), "-q"])
    assert result.exit_code == 0, result.output
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((folder / "out" / "sample.html").as_uri())
        yield page, folder, errors
        browser.close()


def test_review_in_chromium_then_apply(page_and_record):
    page, folder, errors = page_and_record
    record = json.loads((folder / "out" / "sample.json").read_text(encoding="utf-8"))
    edits = [Edit.from_json(e) for e in record["edits"]]
    flags = [
        f["id"] for f in sorted(record["flags"], key=lambda f: (f["output_span"][0], f["output_span"][1]))
    ]  # reading order
    top = [e.id for e in edits if e.superseded_by is None]

    # Layout-only changes are hidden by default; shown, every change and every flag is visible.
    assert page.locator("#inline .ed.plain").count() > 0
    page.check("#f-layout")
    visible = page.evaluate("""() => Array.from(document.querySelectorAll('#inline .ed, #inline .fm'))
        .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map(el => el.dataset.e || el.dataset.flag)""")
    assert sorted(v for v in visible if v.startswith("e")) == sorted(top)
    assert [v for v in visible if v.startswith("f")] == flags
    page.uncheck("#f-layout")

    # Every flag is reached with the f key, one press each, in order.
    page.locator("body").click(position={"x": 5, "y": 5})
    reached = []
    for _ in flags:
        page.keyboard.press("f")
        reached.append(page.evaluate("document.querySelector('#inline .fm.cur').dataset.flag"))
    assert reached == flags

    # Reject a few edits: one by click and button, one with the r key, and an edit others build on.
    chosen = [
        e
        for e in edits
        if e.superseded_by is None
        and not e.depends_on
        and e.kind not in ("trailing-space", "unwrap", "page-join", "page-break", "paragraph-break", "indent")
    ][:2]
    assert len(chosen) == 2
    page.locator(f"#inline .ed[data-e='{chosen[0].id}']").click()
    page.click("#insp button[data-act='reject']")
    page.locator(f"#inline .ed[data-e='{chosen[1].id}']").click()
    page.keyboard.press("r")
    base = next(e for e in edits if e.superseded_by)
    dependent = base.superseded_by
    page.check("#f-layout")
    page.locator(f"#inline .ed[data-e='{dependent}']").focus()  # keyboard focus selects too
    page.click(f"#insp .chain li:has(.id:text-is('{base.id}')) button[data-act='reject']")
    for eid in (chosen[0].id, chosen[1].id):
        assert "rej" in page.get_attribute(f"#inline .ed[data-e='{eid}']", "class").split(), eid
    # The edit built on the rejected one is visibly not applied (what else it builds on may still be).
    shown = page.get_attribute(f"#inline .ed[data-e='{dependent}']", "class").split()
    assert "dropped" in shown and ("rej" in shown or "partial" in shown)
    assert "builds on a rejected edit" in page.inner_text("#insp .state")

    # A note on the first flag.
    page.click(f"#flags [data-jump='{flags[0]}']")
    page.keyboard.press("Enter")
    page.keyboard.type("check the printed edition")

    # The side-by-side view shows the source line by line and keeps the panes in step.
    page.keyboard.press("Escape")
    page.keyboard.press("s")
    assert page.locator("#sbs").is_visible()
    page.evaluate(
        "document.getElementById('src').scrollTop = document.querySelector('#src .ln[data-l=\"200\"]').offsetTop"
    )
    page.wait_for_timeout(300)
    out_top = page.evaluate("document.getElementById('out').scrollTop")
    anchor_top = page.evaluate("""() => { const a = Array.from(document.querySelectorAll('#out .anc'))
        .filter(a => +a.dataset.l <= 200).pop(); return a.offsetTop; }""")
    assert out_top > 0 and abs(out_top - anchor_top) < 60
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
    assert decisions["edits"] == {
        i: "reject" for i in sorted((chosen[0].id, chosen[1].id, base.id), key=lambda i: int(i[1:]))
    }
    assert decisions["flags"] == {flags[0]: "check the printed edition"}

    final = folder / "final.txt"
    result = CliRunner().invoke(
        main, ["apply", str(folder / "out" / "sample.json"), "--decisions", str(saved), "-o", str(final)]
    )
    assert result.exit_code == 0, result.output
    rejected = set(decisions["edits"])
    expected, dropped = apply_edits(
        read_source(folder / "sample.txt").text, edits, [e.id for e in edits if e.id not in rejected]
    )
    assert final.read_text(encoding="utf-8") == expected
    assert any(f"builds on rejected {base.id}" in line for line in dropped)
    assert f"{dependent} " in result.output and f"builds on rejected {base.id}" in result.output
    assert "- note: check the printed edition" in (folder / "final.notes.md").read_text(encoding="utf-8")
    assert (folder / "report.png").stat().st_size > 10_000
