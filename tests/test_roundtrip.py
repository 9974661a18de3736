"""The fill-in round trip never loses a problem: forms for every unit, filled in as clerks do, imported back.

Problems stay open month to month until a resolution date is recorded; a new problem gets an owner and a
due date; a problem typed again is matched to the open one; several forms are imported all or nothing,
and a project file changed by someone else meanwhile is never overwritten.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from formkit import Form, invoke, make_form, snapshot
from ledgerkit import project, report, write_ledger
from projledger.ledger.load import load_ledger
from projledger.ledger.models import Problem, Project

EXAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "example"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root)
    return root


def loaded(root: Path) -> dict[str, Project]:
    ledger, errors = load_ledger(root)
    assert ledger is not None and not [e for e in errors if e.is_error], errors
    return {p.id: p for p in ledger.projects}


def open_problems(p: Project, month: str) -> list[Problem]:
    """What the meeting sees as open at `month`: the latest entry up to it."""
    entries = [r for r in p.progress if r.month <= month]
    latest = max(entries, key=lambda r: r.month) if entries else None
    return [q for q in (latest.problems if latest else []) if q.resolved is None]


def fields(q: Problem) -> tuple[object, ...]:
    return q.type, q.text, q.owner, q.due


def unseen_ledger(root: Path) -> Path:
    """A ledger the form code was not written against: three units, problems of every shape."""
    problems_a = [
        {"type": "拆迁", "text": "3户未签约", "owner": "甲街道", "due": "2026-08-31", "resolved": None},
        {"type": "资金", "text": "配套资金: 未到位, 缺口200万", "owner": "区财政局", "due": None, "resolved": None},
        {"type": "土地", "text": "已解决的问题", "owner": "甲街道", "due": "2026-07-31", "resolved": "2026-09-20"},
    ]
    return write_ledger(root, [
        project("A-1", unit="甲街道", actual={"start": "2025-03-01", "finish": None},
                progress=[report("2026-08", 100, "基础施工"), report("2026-09", 250, "主体施工", problems_a)]),
        project("A-2", unit="甲街道", kind="新开工", planned={"start": "2026-12-01", "finish": "2027-12-31"},
                procedures={"备案": "2026-03-01", "规划许可": None},
                progress=[report("2026-09", 0, "前期", [{"type": "手续", "text": "规划许可未批", "owner": None,
                                                        "due": None, "resolved": None}])]),
        project("B-1", unit="乙街道", actual={"start": "2025-05-01", "finish": None},
                progress=[report("2026-07", 300, "装修", [{"type": "其他", "text": "七月的问题无人再提"}]),
                          report("2026-09", 500, "装修")]),
        project("C-1", unit="丙管委会", actual={"start": "2025-05-01", "finish": None},
                progress=[report("2026-09", 50, "施工", [{"type": "环保", "text": "扬尘整改", "owner": "丙管委会",
                                                        "due": "2026-10-15", "resolved": None}])]),
    ])


def test_forms_for_every_unit_filled_with_figures_only_lose_no_open_problem(tmp_path: Path) -> None:
    root = unseen_ledger(tmp_path / "ledger")
    before = loaded(root)
    forms = tmp_path / "forms"
    code, output = invoke("form", "--all", "--month", "2026-10", "-o", str(forms), "--ledger", str(root))
    assert code == 0, output
    paths = sorted(forms.glob("*.xlsx"))
    assert [p.name for p in paths] == sorted(f"{u}2026年10月重点项目填报表.xlsx" for u in ("甲街道", "乙街道", "丙管委会"))
    figures = {"A-1": 300, "A-2": 0, "B-1": 640.5, "C-1": 80}
    for path in paths:
        form = Form(path)
        for pid in form.meta["ids"].split("\n"):
            form.figure(pid, figures[pid], month=10)
        form.save(path)

    code, output = invoke("import", *map(str, paths), "--ledger", str(root))
    assert code == 0, output
    after = loaded(root)
    for pid, p in after.items():
        assert p.progress[-1].month == "2026-10" and p.progress[-1].completed == Decimal(str(figures[pid]))
        assert [fields(q) for q in open_problems(p, "2026-10")] == [fields(q) for q in open_problems(before[pid], "2026-09")]
    assert [q.text for q in open_problems(after["A-1"], "2026-10")] == ["3户未签约", "配套资金: 未到位, 缺口200万"]
    assert open_problems(after["B-1"], "2026-10") == []  # resolved-by-silence in the ledger stays as the ledger has it
    assert "延续此前未解决问题 2 条" in output


def test_example_ledger_november_round_trip_keeps_every_problem_and_figure(ledger: Path, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=ledger, check=True)
    subprocess.run(["git", "add", "-A"], cwd=ledger, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "10月"], cwd=ledger, check=True)
    before = loaded(ledger)
    forms = tmp_path / "forms"
    code, output = invoke("form", "--all", "--month", "2026-11", "-o", str(forms), "--ledger", str(ledger))
    assert code == 0, output
    paths = sorted(forms.glob("*.xlsx"))
    assert len(paths) == 8
    typed: dict[str, Decimal] = {}
    for path in paths:
        form = Form(path)
        for pid in form.meta["ids"].split("\n"):
            prev = form.get("填报表", form.main_row(pid), "1-10月累计") or 0
            typed[pid] = Decimal(str(prev)) + 10
            form.figure(pid, float(typed[pid]))
        form.save(path)
    code, output = invoke("import", *map(str, paths), "--ledger", str(ledger))
    assert code == 0, output
    after = loaded(ledger)
    lost = sum(len(open_problems(p, "2026-10")) for p in before.values())
    assert lost == 14
    for pid, p in after.items():
        assert p.progress[-1].completed == typed[pid]
        assert [fields(q) for q in open_problems(p, "2026-11")] == [fields(q) for q in open_problems(before[pid], "2026-10")]

    code, output = invoke("diff", "--format", "json", "--ledger", str(ledger))
    assert code == 0, output
    changes = json.loads(output[output.index("{"):])["projects"]
    assert not [c for c in changes if c["problems_resolved"] or c["problems_opened"]]
    code, output = invoke("form", "--status", "--ledger", str(ledger))
    assert code == 0 and "已报 51/51 个项目" in output and "未报齐" in output


def test_a_resolution_on_the_form_is_recorded_with_its_date(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    r = form.problem_row("2026-cj-003", "沿线3处厂房未完成征迁，影响开工")
    form.set("存在问题", r, "解决日期", datetime(2026, 11, 18))
    form.set("存在问题", r, "进展情况", "3处厂房均已签约腾空")
    other = form.problem_row("2026-cj-003", "规划许可待征迁完成、用地交付后办理")
    form.set("存在问题", other, "进展情况", "已提交规划许可申请")
    form.figure("2026-cj-003", 0)
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    assert "问题已解决：拆迁：沿线3处厂房未完成征迁，影响开工（2026-11-18）" in output
    p = loaded(ledger)["2026-cj-003"]
    nov = p.progress[-1]
    assert nov.month == "2026-11"
    assert [(q.text, q.resolved, q.note) for q in nov.problems] == [
        ("沿线3处厂房未完成征迁，影响开工", date(2026, 11, 18), "3处厂房均已签约腾空"),
        ("规划许可待征迁完成、用地交付后办理", None, "已提交规划许可申请")]
    # December's form no longer lists the resolved problem, and keeps the other with its latest 进展
    december = make_form(ledger, tmp_path / "东城12.xlsx", "东城街道", "2026-12")
    texts = [row[3] for row in december.listed_problems() if row[0] == "2026-cj-003"]
    assert texts == ["规划许可待征迁完成、用地交付后办理"]
    assert december.get("存在问题", december.problem_row("2026-cj-003", texts[0]), "进展情况") == "已提交规划许可申请"


def test_a_resolution_without_the_months_figure_is_recorded_where_the_problem_lives(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "新华.xlsx", "新华街道")
    r = form.problem_row("2026-cj-008", "仍有27户未签约，其中8户诉求过高")
    form.set("存在问题", r, "解决日期", "2026-11-05")
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    p = loaded(ledger)["2026-cj-008"]
    assert p.progress[-1].month == "2026-10"  # still unreported for November
    assert [(q.text, q.resolved) for q in p.progress[-1].problems] == [("仍有27户未签约，其中8户诉求过高", date(2026, 11, 5))]
    assert "问题进展记在 2026-10 的记录中" in output


def test_a_new_problem_gets_the_unit_as_owner_and_its_due_date_and_later_becomes_overdue(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "新华.xlsx", "新华街道")
    form.figure("2026-cj-009", 2500)
    form.new_problem("2026-cj-009", "资金", "配套资金未到位", due=datetime(2026, 11, 20))
    form.new_problem("2026-cj-009", None, "拆迁：2户未签约", owner="区住建局", index=1)
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    problems = loaded(ledger)["2026-cj-009"].progress[-1].problems
    assert [(q.type, q.text, q.owner, q.due) for q in problems] == [
        ("资金", "配套资金未到位", "新华街道", date(2026, 11, 20)), ("拆迁", "2户未签约", "区住建局", None)]
    december = make_form(ledger, tmp_path / "新华12.xlsx", "新华街道", "2026-12")
    assert december.get("存在问题", december.problem_row("2026-cj-009", "配套资金未到位"), "逾期") == "逾期41天"


def test_a_new_problem_needs_the_months_figure(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "新华.xlsx", "新华街道")
    r = form.new_problem("2026-cj-009", "资金", "配套资金未到位")
    before = snapshot(ledger)
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 1
    assert f"存在问题!A{r}: 错误：项目“2026-cj-009”没有填写“1-11月累计完成投资”" in output
    assert snapshot(ledger) == before


def test_a_retyped_open_problem_is_the_open_one_not_a_duplicate(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-cj-002", 13600)
    r = form.new_problem("2026-cj-002", "拆迁", "剩余12户未签订征收协议。")
    form.figure("2026-cj-003", 0)
    form.new_problem("2026-cj-003", None, "手续：规划许可待征迁完成、用地交付后办理", index=1)
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    assert f"存在问题!D{r}: 警告：与已列出的问题“拆迁：剩余12户未签订征收协议”相同，未重复登记" in output
    after = loaded(ledger)
    assert [fields(q) for q in after["2026-cj-002"].progress[-1].problems] == [
        ("拆迁", "剩余12户未签订征收协议", "东城街道", date(2026, 6, 30))]
    assert [fields(q) for q in after["2026-cj-003"].progress[-1].problems] == [
        ("拆迁", "沿线3处厂房未完成征迁，影响开工", "东城街道", date(2026, 8, 31)),
        ("手续", "规划许可待征迁完成、用地交付后办理", "区自然资源局", date(2026, 11, 30))]


def test_procedures_done_dates_go_into_the_procedures_map(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    r = form.procedure_row("2026-cj-003", "规划许可")
    assert form.get("前期手续", r, "状态") == "已逾期" and form.get("前期手续", r, "最迟办结日期") is not None
    form.set("前期手续", r, "办结日期", datetime(2026, 11, 12))
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    assert "前期手续办结：规划许可 2026-11-12" in output
    p = loaded(ledger)["2026-cj-003"]
    assert p.procedures["规划许可"] == date(2026, 11, 12) and p.progress[-1].month == "2026-10"
    assert "  规划许可: 2026-11-12\n" in (ledger / "projects/东城街道/2026-cj-003.yaml").read_text("utf-8")


def test_plausibility_warnings_are_labelled_and_pinned_to_the_cell_that_causes_them(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "商务.xlsx", "商务中心区管委会")
    spike = form.figure("2026-fw-004", 100000)
    same_row = form.main_row("2026-fw-005")
    same = form.figure("2026-fw-005", form.get("填报表", same_row, "1-10月累计"))
    form.main("2026-fw-005", "11月形象进度", form.get("填报表", same_row, "10月形象进度"))
    code, output = invoke("import", str(form.save()), "--dry-run", "--ledger", str(ledger))
    assert code == 0, output
    assert f"填报表!{spike}: 警告：项目“2026-fw-004”：" in output and "倍，请核实（是否多输了一位数？）" in output
    assert f"填报表!{spike}: 警告：项目“2026-fw-004”：1-11月累计完成 100,000 万元，超过年度计划" in output
    assert f"填报表!{same}: 警告：项目“2026-fw-005”：累计完成投资和形象进度与 2026-10 相同（停滞），请核实" in output
    assert "2026-10 累计完成 7197.4" not in output  # October's own warning is not this form's doing


def test_several_forms_are_imported_all_or_nothing(ledger: Path, tmp_path: Path) -> None:
    good = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    good.figure("2026-cj-002", 13600)
    bad = make_form(ledger, tmp_path / "新华.xlsx", "新华街道")
    bad.figure("2026-cj-009", 10)  # less than October: an error
    before = snapshot(ledger)
    code, output = invoke("import", str(good.save()), str(bad.save()), "--ledger", str(ledger))
    assert code == 1 and "不能减少" in output and "未写入任何文件" in output
    assert snapshot(ledger) == before


def test_a_write_failing_midway_puts_back_the_files_already_written(ledger: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import projledger.intake.importer as importer

    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-cj-002", 13600)
    form.figure("2026-ms-001", 1700)
    back = form.save()
    before = snapshot(ledger)
    real = importer.rewrite_file
    calls: list[Path] = []

    def second_fails(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(importer, "rewrite_file", second_fails)
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1 and "写入失败" in output and "已撤销已写入的 1 个文件，台账与导入前相同" in output
    assert snapshot(ledger) == before


def test_a_project_file_edited_during_the_import_is_not_overwritten(ledger: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import projledger.intake.importer as importer

    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-cj-002", 13600)
    form.figure("2026-ms-001", 1700)
    back = form.save()
    edited = ledger / "projects/东城街道/2026-ms-001.yaml"
    real = importer.plan_import

    def someone_edits_meanwhile(*args: object) -> object:
        plan = real(*args)  # type: ignore[arg-type]
        edited.write_text(edited.read_text("utf-8").replace("leader:", "# 刚刚有人改了这里\nleader:"), "utf-8")
        return plan

    monkeypatch.setattr(importer, "plan_import", someone_edits_meanwhile)
    before = snapshot(ledger)
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1
    assert "projects/东城街道/2026-ms-001.yaml 在导入过程中被修改" in output and "未写入任何文件" in output
    assert {p: b for p, b in snapshot(ledger).items() if p != edited} == {p: b for p, b in before.items() if p != edited}
    assert "# 刚刚有人改了这里" in edited.read_text("utf-8")


def test_a_project_file_changed_after_the_ledger_was_read_is_refused(ledger: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import projledger.cli.form_cmds as cmds
    import projledger.intake.importer as importer

    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-ms-001", 1700)
    back = form.save()
    edited = ledger / "projects/东城街道/2026-ms-001.yaml"
    real = importer.plan_import

    def edit_then_plan(*args: object) -> object:
        edited.write_text(edited.read_text("utf-8").replace("leader: ", "leader: 新"), "utf-8")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "plan_import", edit_then_plan)
    assert cmds is not None
    code, output = invoke("import", str(back), "--ledger", str(ledger))
    assert code == 1 and "文件在读取台账后被修改" in output
    assert "2026-11" not in edited.read_text("utf-8")


def test_rows_outside_the_form_are_refused_or_pointed_out(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-cj-002", 13600)
    listed_row = form.problem_row("2026-cj-002", "剩余12户未签订征收协议")
    form.set("存在问题", listed_row, "问题说明", "改过的说明")
    form.set("前期手续", 40, "办结日期", datetime(2026, 11, 1))
    form.wb.create_sheet("备注")["A1"] = "请领导关注"
    r = form.new_problem("2026-cj-002", "拆迁", "", owner="区住建局")
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 1
    assert f"存在问题!A{listed_row}: 错误：本行与生成时列出的问题不一致" in output
    assert "前期手续!A40: 错误：本行与生成时列出的手续不一致" in output
    assert f"存在问题!D{r}: 错误：新增问题没有填写“问题说明”" in output
    assert "备注: 警告：工作表“备注”不是填报表的一部分，其内容未导入" in output


def test_form_all_and_status_show_whom_to_chase(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    for pid in form.meta["ids"].split("\n")[:4]:
        form.figure(pid, (form.get("填报表", form.main_row(pid), "1-10月累计") or 0) + 1)
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    code, output = invoke("form", "--status", "--ledger", str(ledger))
    assert code == 0, output
    lines = {line.split()[0]: line for line in output.splitlines() if line.strip()}
    assert "部分" in lines["东城街道"] and "4/6" in lines["东城街道"] and "东城社区卫生服务中心" in lines["东城街道"]
    assert "未报" in lines["城关街道"] and "0/7" in lines["城关街道"]
    assert "需催报：城关街道、新华街道、东城街道" in output
    code, output = invoke("form", "--status", "--month", "2026-10", "--json", "--ledger", str(ledger))
    data = json.loads(output[output.index("{"):])
    assert data["month"] == "2026-10"
    dongcheng = next(u for u in data["units"] if u["unit"] == "东城街道")
    assert dongcheng == {"unit": "东城街道", "state": "some", "projects": 6, "reported": 5,
                         "missing": [{"id": "2026-ms-002", "name": "东城街道养老服务中心"}]}
    code, output = invoke("form", "--ledger", str(ledger))
    assert code == 2 and "请指定 --unit 单位、--all 或 --status 之一" in output


def test_a_form_re_issued_for_an_imported_month_re_imports_as_no_change(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    form.figure("2026-cj-003", 0)
    form.new_problem("2026-cj-003", "资金", "征迁资金缺口")
    form.set("存在问题", form.problem_row("2026-cj-003", "沿线3处厂房未完成征迁，影响开工"), "解决日期", date(2026, 11, 3))
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 0, output
    again = make_form(ledger, tmp_path / "东城-再发.xlsx", "东城街道")
    listed = [(row[3], row[8]) for row in again.listed_problems() if row[0] == "2026-cj-003"]
    assert listed == [("沿线3处厂房未完成征迁，影响开工", datetime(2026, 11, 3)), ("规划许可待征迁完成、用地交付后办理", None),
                      ("征迁资金缺口", None)]
    before = snapshot(ledger)
    code, output = invoke("import", str(again.path), "--ledger", str(ledger))
    assert code == 0 and "已更新 0 个项目" in output, output
    assert snapshot(ledger) == before


def test_old_forms_are_refused_with_a_way_forward(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    ws = form.wb["meta"]
    for row in ws.iter_rows():
        if row[0].value == "version":
            row[1].value = 1
    code, output = invoke("import", str(form.save()), "--ledger", str(ledger))
    assert code == 1 and "不是本版本 projledger 生成的填报表；请用 projledger form 重新生成" in output


def test_the_form_opens_cleanly(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    wb = openpyxl.load_workbook(form.path)
    assert wb["存在问题"].protection.sheet and wb["前期手续"].protection.sheet
    rows = form.listed_problems()
    assert ("2026-cj-002", "东城片区棚户区改造项目", "拆迁", "剩余12户未签订征收协议", "东城街道",
            datetime(2026, 6, 30), "逾期153天", None, None) in rows


def test_form_all_names_each_file_after_its_unit_and_skips_units_without_projects(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("A-1", unit="甲/街道", progress=[report("2026-09", 1)])],
                        units=["甲/街道", "乙街道"])
    code, output = invoke("form", "--all", "-o", str(tmp_path / "out"), "--ledger", str(root))
    assert code == 0, output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["甲_街道2026年10月重点项目填报表.xlsx"]
    assert "乙街道 没有项目，未生成填报表" in output
    (tmp_path / "file.xlsx").write_bytes(b"")
    code, output = invoke("form", "--all", "-o", str(tmp_path / "file.xlsx"), "--ledger", str(root))
    assert code == 2 and "--all 时 -o 应为目录" in output


def test_an_unchanged_figure_without_an_image_asks_whether_the_project_stalled(ledger: Path, tmp_path: Path) -> None:
    form = make_form(ledger, tmp_path / "东城.xlsx", "东城街道")
    cell = form.figure("2026-cj-002", 13590)
    code, output = invoke("import", str(form.save()), "--dry-run", "--ledger", str(ledger))
    assert code == 0, output
    assert f"填报表!{cell}: 警告：项目“2026-cj-002”：累计完成投资与 2026-10 相同，且没有填写形象进度，请核实是否停滞" in output


def test_a_problem_whose_text_a_cell_cannot_keep_exactly_can_still_be_resolved(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", [project("A-1", progress=[
        report("2026-09", 1, "施工", [{"type": "其他", "text": "围挡整改 ", "owner": "甲街道", "due": "2026-09-30"}])])])
    form = make_form(root, tmp_path / "甲.xlsx", "甲街道", "2026-10")
    form.figure("A-1", 2, month=10)
    form.set("存在问题", form.rows("存在问题")[0], "解决日期", datetime(2026, 10, 8))
    code, output = invoke("import", str(form.save()), "--ledger", str(root))
    assert code == 0, output
    (q,) = loaded(root)["A-1"].progress[-1].problems
    assert (q.text, q.owner, q.due, q.resolved) == ("围挡整改 ", "甲街道", date(2026, 9, 30), date(2026, 10, 8))
