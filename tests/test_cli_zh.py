"""--help and usage errors read in Chinese, like the rest of the tool, and bad usage exits 2."""

from __future__ import annotations

from typer.testing import CliRunner

from projledger.cli import app
from projledger.cli.zh import translate_error

runner = CliRunner()


def test_help_is_chinese() -> None:
    result = runner.invoke(app, ["status", "--help"])
    assert result.exit_code == 0
    assert "用法:" in result.output and "显示本帮助并退出。" in result.output
    assert "Show this message" not in result.output and "Usage:" not in result.output


def test_every_command_has_chinese_help_with_an_example() -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for name in ("check", "status", "show", "schedule", "export", "form", "import", "diff", "brief", "init",
                 "new", "schema"):
        assert name in top.output
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "示例：" in result.output, name


def test_unknown_option_is_a_chinese_usage_error() -> None:
    result = runner.invoke(app, ["status", "--bogus"])
    assert result.exit_code == 2
    assert "错误：没有选项 --bogus" in result.output
    assert "Traceback" not in result.output


def test_bad_choice_and_missing_argument() -> None:
    result = runner.invoke(app, ["status", "--by", "x"])
    assert result.exit_code == 2 and "'--by' 的值无效" in result.output
    result = runner.invoke(app, ["show"])
    assert result.exit_code == 2 and "缺少参数 '项目'" in result.output


def test_unknown_english_passes_through() -> None:
    assert translate_error("Something new happened") == "Something new happened"


def test_misspelt_command_gets_a_chinese_suggestion() -> None:
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 2
    assert "是不是 'status'？" in result.output and "Did you mean" not in result.output


def test_version_and_completion_options() -> None:
    from projledger import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"projledger {__version__}"
    top = runner.invoke(app, ["--help"])
    assert "--install-completion" in top.output and "--show-completion" in top.output
    assert "为当前 shell 安装命令补全。" in top.output


def test_no_english_left_in_any_help() -> None:
    """Fails loudly when a typer release moves what zh.py hooks into: English would show here."""
    top = runner.invoke(app, ["--help"])
    names = [line.split()[0] for line in top.output.split("命令:")[1].splitlines() if line.strip()]
    assert len(names) >= 12
    for args in [[], *[[n] for n in names]]:
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, args
        for english in ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[default:",
                        "[required]", "TEXT", "INTEGER", "[OPTIONS]"):
            assert english not in result.output, (args, english)
        assert result.output.startswith("用法: projledger"), args


def test_form_month_help_says_the_month_after_the_latest() -> None:
    result = runner.invoke(app, ["form", "--help"])
    assert "默认为台账中最新填报月份的下一个月" in " ".join(result.output.split())


def test_number_out_of_range_or_not_a_number_is_said_in_chinese(tmp_path: object) -> None:
    for value, words in (("99999", "不能大于 65535"), ("-1", "不能小于 0"), ("abc", "应为整数"), ("1.5", "应为整数")):
        result = runner.invoke(app, ["serve", "--port", value])
        assert result.exit_code == 2, result.output
        assert "'--port' 的值无效：" in result.output and words in result.output, result.output
        assert "Input should" not in result.output
