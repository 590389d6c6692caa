"""An editor uploads a new issue in a real browser (headless chromium) and watches it become drafts.

The files are made in the test (tests/documents.py). The worker runs while the job page is
open; the page's progress bar and file table fill in by themselves (cases/admin/upload.js).
Set SAVE_SCREENSHOTS=1 to refresh docs/admin-upload*.png.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.models import Article, Source, UploadJob
from tests.browser_fixtures import log_in
from tests.documents import CASE_PAGES, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_an_editor_uploads_a_pdf_and_a_refused_file_and_follows_the_job(browser, live_server, editor, zhejiang_tree,
                                                                        tmp_path):
    pdf = tmp_path / "七星街道.pdf"
    pdf.write_bytes(make_pdf(CASE_PAGES))
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(make_pdf(CASE_PAGES, text=False))
    page = log_in(browser, live_server, editor, "/admin/cases/uploadjob/add/")
    assert page.locator("h1").inner_text() == "上传新一期"
    page.set_input_files("#id_files", [str(pdf), str(scan)])
    page.fill("#id_publication", "今日浙江")
    page.fill("#id_issue_label", "2024年第24期")
    shots = os.environ.get("SAVE_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(DOCS / "admin-upload.png"), full_page=True)
    page.click("#upload-submit")
    page.wait_for_url("**/admin/cases/uploadjob/*/change/")
    job = UploadJob.objects.get()
    assert "正在后台处理" in page.locator(".messagelist").inner_text()
    assert page.locator("#job-state").inner_text() == "排队中"
    assert page.locator("#job-files").inner_text() == "0/2"

    # On SQLite the live server shares the test's in-memory connection, so the page's polls must not
    # run while the worker writes on it in this thread: hold them (the page retries), then let them through.
    progress = re.compile(r"/admin/cases/uploadjob/\d+/progress/$")
    page.route(progress, lambda route: route.abort())
    page.wait_for_timeout(300)  # a poll already on its way finishes
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.state == UploadJob.State.DONE, job.log
    page.unroute(progress)

    # No reload: the page polls and redraws itself.
    page.wait_for_function("document.getElementById('job-state').textContent === '已完成'", timeout=30_000)
    assert page.locator("#job-files").inner_text() == "2/2"
    assert page.eval_on_selector("#job-progress", "bar => bar.value === bar.max")
    rows = page.locator("#job-files-table tbody tr")
    assert rows.nth(0).locator(".file-state").inner_text() == "已导入"
    assert rows.nth(0).locator(".file-pages").inner_text() == "2"
    assert rows.nth(1).locator(".file-state").inner_text() == "拒绝导入"
    assert "没有文字层" in rows.nth(1).locator(".file-message").inner_text()
    assert "完成" in page.locator("#job-log").inner_text()
    assert int(page.locator("#job-articles").inner_text()) == job.files.get(position=1).source.articles.count() == 1
    if shots:
        page.screenshot(path=str(DOCS / "admin-upload-job.png"), full_page=True)

    rows.nth(0).locator(".file-articles a").click()
    page.wait_for_url("**/admin/cases/article/?source__id__exact=*")
    assert "七星街道推行网格智治" in page.locator("#result_list").inner_text()
    source = Source.objects.get()
    assert source.page_count == 2 and Article.objects.get(source=source).page == "1–2"
