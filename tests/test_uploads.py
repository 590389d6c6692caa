"""Editors' uploads end to end: the admin form, the background worker, what each file becomes.

Jobs run in the real worker (`manage.py db_worker --batch`, django-tasks' database backend)
on the test database; the files are made in the test (tests/documents.py).
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import uploads
from cases.models import Article, Figure, Source, UploadFile, UploadJob
from tests.admin_fixtures import make_user
from tests.documents import CASE_PAGES, make_docx, make_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def upload(user, *files, **fields):
    job = uploads.create_job([uploads.Upload(name, data) for name, data in files], user, **fields)
    run_worker()
    job.refresh_from_db()
    return job


@pytest.fixture
def editor_user(db):
    from cases.roles import EDITOR_GROUP

    return make_user("uploader", EDITOR_GROUP)


def test_the_worker_turns_a_pdf_and_a_word_file_into_drafts_with_pages(editor_user, zhejiang_tree):
    docx = make_docx([("h1", "城南乡共富工坊带动增收"), ("p", "新昌县城南乡建成共富工坊12家，带动就业超过800人。")])
    job = upload(editor_user, ("case.pdf", make_pdf(CASE_PAGES)), ("town.docx", docx),
                 publication="今日浙江", issue_label="2024年第24期")
    assert job.state == UploadJob.State.DONE
    assert (job.files_done, job.files_total) == (2, 2)
    pdf_file, word_file = job.files.order_by("position")
    assert (pdf_file.state, pdf_file.file_format, pdf_file.page_count) == ("done", "pdf", 2)
    assert word_file.state == "done" and word_file.file_format == "docx"
    assert pdf_file.content == b"" and word_file.content == b""  # read and recorded, not kept
    source = pdf_file.source
    assert (source.file_format, source.page_count, str(source.publication), source.issue_label) == (
        "pdf", 2, "今日浙江", "2024年第24期")
    article = Article.objects.get(source=source)
    assert article.status == Article.Status.DRAFT and article.page == "1–2"
    pages = dict(Figure.objects.filter(article=article).values_list("quote", "page"))
    assert pages["常住人口约15万"] == 1 and pages["微网格827个"] == 2
    assert job.articles_created == 2 and job.figures_found == pdf_file.figures_found + word_file.figures_found > 0
    assert Article.objects.get(source=word_file.source).title == "城南乡共富工坊带动增收"
    assert "完成" in job.log and "case.pdf" in job.log


def test_uploading_the_same_file_twice_changes_nothing(editor_user, zhejiang_tree):
    data = make_pdf(CASE_PAGES)
    first = upload(editor_user, ("case.pdf", data))
    article = Article.objects.get(source=first.files.get().source)
    article.title = "编辑改过的标题"
    article.save()
    before = (Source.objects.count(), Article.objects.count(), Figure.objects.count(), article.version)

    again = upload(editor_user, ("renamed-copy.pdf", data))
    entry = again.files.get()
    assert entry.state == UploadFile.State.DUPLICATE and entry.source == first.files.get().source
    assert "未作任何改动" in entry.message
    article.refresh_from_db()
    assert article.title == "编辑改过的标题"
    assert (Source.objects.count(), Article.objects.count(), Figure.objects.count(), article.version) == before
    assert again.articles_created == 0


def test_refused_files_are_reported_and_the_others_still_go_in(editor_user, zhejiang_tree, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 200_000
    job = upload(editor_user,
                 ("empty.txt", b""),
                 ("locked.pdf", make_pdf(CASE_PAGES, user_password="pw")),
                 ("scan.pdf", make_pdf(CASE_PAGES, text=False)),
                 ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(500)),
                 ("huge.txt", "常住人口约15万。".encode() * 20_000),
                 ("good.txt", "七星街道推行网格智治\n全街道划分175个网格，常住人口约15万。\n".encode("gb18030")))
    states = {f.name: (f.state, f.message) for f in job.files.all()}
    assert states["good.txt"][0] == "done"
    expected = {"empty.txt": "文件为空", "locked.pdf": "PDF 已加密", "scan.pdf": "没有文字层",
                "photo.png": "二进制文件", "huge.txt": "超过上限"}
    for name, words in expected.items():
        state, message = states[name]
        assert state == "refused", name
        assert words in message and name in message
    assert job.state == UploadJob.State.DONE and job.files_done == 6
    assert Source.objects.count() == 1  # only good.txt


def test_a_file_that_fails_while_saving_leaves_nothing_behind(editor_user, zhejiang_tree, monkeypatch):
    from cases.ingest import save

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(save, "_replace_regions", broken)  # after the Source and Article rows were written
    job = upload(editor_user, ("case.pdf", make_pdf(CASE_PAGES)))
    entry = job.files.get()
    assert entry.state == UploadFile.State.FAILED and "disk full" in entry.message and "未写入任何内容" in entry.message
    assert not Source.objects.exists() and not Article.objects.exists()
    assert entry.content  # kept, so the job can be retried once the fault is fixed

    monkeypatch.undo()
    assert uploads.retry_failed(job)
    run_worker()
    entry.refresh_from_db()
    assert entry.state == UploadFile.State.DONE and Article.objects.filter(source=entry.source).count() == 1
    job.refresh_from_db()
    assert job.state == UploadJob.State.DONE and job.articles_created == 1
    assert not uploads.retry_failed(job)  # nothing left to retry


# ---- the admin side (real HTTP through Django's test client)

def test_editors_upload_through_the_admin_and_follow_the_job(client, editor_user, zhejiang_tree):
    client.force_login(editor_user)
    page = client.get(reverse("admin:cases_uploadjob_add"))
    assert page.status_code == 200 and "上传新一期" in page.content.decode()
    pdf = make_pdf(CASE_PAGES)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("admin:cases_uploadjob_add"), {
        "files": [SimpleUploadedFile("case.pdf", pdf, "application/pdf")],
        "publication": "今日浙江", "issue_label": "2024年第24期", "published_on": "",
    })
    job = UploadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:cases_uploadjob_change", args=[job.pk])
    assert job.task_id  # enqueued once the request committed
    progress = client.get(reverse("admin:cases_uploadjob_progress", args=[job.pk])).json()
    assert progress["state"] == "queued" and progress["files_done"] == 0
    run_worker()
    progress = client.get(reverse("admin:cases_uploadjob_progress", args=[job.pk])).json()
    assert (progress["state"], progress["files_done"], progress["percent"]) == ("done", 1, 100)
    assert progress["files"][0]["state_label"] == "已导入"
    html = client.get(reverse("admin:cases_uploadjob_change", args=[job.pk])).content.decode()
    source = Source.objects.get()
    assert f"?source__id__exact={source.pk}" in html and "已完成" in html
    drafts = client.get(reverse("admin:cases_article_changelist") + f"?source__id__exact={source.pk}").content.decode()
    assert "七星街道推行网格智治" in drafts


def test_the_upload_form_says_what_is_wrong(client, editor_user, settings):
    settings.UPLOAD_MAX_FILES = 2
    client.force_login(editor_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("admin:cases_uploadjob_add"), {
        "files": [SimpleUploadedFile(f"{i}.txt", "常住人口约15万。".encode()) for i in range(3)]})
    assert response.status_code == 200 and "一次最多上传 2 个文件" in response.content.decode()
    response = client.post(reverse("admin:cases_uploadjob_add"), {"publication": "今日浙江"})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    assert not UploadJob.objects.exists()


def test_only_editors_and_reviewers_may_upload(client, db):
    from cases.roles import REVIEWER_GROUP

    outsider = make_user("outsider")  # staff, no group
    client.force_login(outsider)
    assert client.get(reverse("admin:cases_uploadjob_add")).status_code == 403
    response = client.post(reverse("admin:cases_uploadjob_add"), {"publication": "x"})
    assert response.status_code == 403 and not UploadJob.objects.exists()
    client.logout()
    anonymous = client.get(reverse("admin:cases_uploadjob_add"))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(make_user("checker", REVIEWER_GROUP))
    assert client.get(reverse("admin:cases_uploadjob_add")).status_code == 200


def test_the_job_list_runs_a_fixed_number_of_queries(client, editor_user, django_assert_max_num_queries):
    for n in range(12):
        uploads.create_job([uploads.Upload(f"{n}.txt", b"x")], editor_user, publication=f"刊物{n}")
    client.force_login(editor_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:cases_uploadjob_changelist"))
    assert response.status_code == 200 and "刊物11" in response.content.decode()
