"""Client config (YAML) validation: every bad config is a one-line error naming file and key."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from techseg_lib.config import ARCHETYPES, KEYS, ClientConfig, load_config
from techseg_lib.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SAMPLE_CONFIGS = sorted(SAMPLES.glob("*/client.yaml"))


@pytest.fixture
def client_dir(tmp_path):
    """A folder with a portfolio and an assessment file, and a writer of client configs."""
    sample = SAMPLES / "advisory_firm"
    (tmp_path / "portfolio.csv").write_bytes((sample / "portfolio.csv").read_bytes())
    (tmp_path / "assessment.yaml").write_bytes((sample / "assessment.yaml").read_bytes())
    good = {"client": "Acme Ltd", "archetype": "manufacturer", "portfolio": "portfolio.csv",
            "assessment": "assessment.yaml", "seed": 42}

    def write(changes: dict | None = None, *, drop: tuple[str, ...] = (), text: str | None = None
              ) -> Path:
        path = tmp_path / "client.yaml"
        if text is None:
            data = {k: v for k, v in {**good, **(changes or {})}.items() if k not in drop}
            text = yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def config_error(path: Path, *, says_fix: bool = True) -> str:
    """Load ``path``, expect a ConfigError, check it is one line naming the file; return it."""
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message, message
    assert str(path.resolve()) in message, message
    if says_fix:
        assert "Fix:" in message, message
    return message


# --------------------------------------------------------------------------------- good configs

@pytest.mark.parametrize("path", SAMPLE_CONFIGS, ids=lambda p: p.parent.name)
def test_sample_configs_load_with_absolute_paths(path):
    config = load_config(path)
    assert isinstance(config, ClientConfig)
    assert config.archetype in ARCHETYPES and config.seed >= 0 and config.client
    for p in (config.path, config.portfolio, config.assessment):
        assert p.is_absolute() and p.is_file()
    assert config.portfolio.parent == path.resolve().parent


def test_minimal_config_takes_defaults_and_round_trips(client_dir):
    path = client_dir()
    config = load_config(path)
    assert (config.sheet, config.taxonomy, config.currency) == (None, None, "EUR")
    assert config.strategy == {} and config.security == {}
    assert config.as_dict() == {"client": "Acme Ltd", "archetype": "manufacturer",
                                "portfolio": "portfolio.csv", "assessment": "assessment.yaml",
                                "seed": 42, "currency": "EUR"}
    # the dict as written back is itself a valid config giving the same result
    path.write_text(yaml.safe_dump(config.as_dict()), encoding="utf-8")
    assert load_config(path) == config


def test_valid_analysis_sections_are_kept(client_dir):
    config = load_config(client_dir({"strategy": {"competitors": 3},
                                     "security": {"currency": "EUR"}}))
    assert config.strategy == {"competitors": 3}
    assert config.strategy_params().competitors == 3


# ---------------------------------------------------------------------------------- bad configs

def test_missing_file(tmp_path):
    path = tmp_path / "nowhere" / "client.yaml"
    message = config_error(path)
    assert "no such config file" in message


def test_not_yaml_names_the_line(client_dir):
    message = config_error(client_dir(text="client: Acme\narchetype: [manufacturer\nseed: 1\n"))
    assert "not valid YAML" in message and "line" in message


def test_not_a_mapping(client_dir):
    message = config_error(client_dir(text="- just\n- a list\n"))
    assert "(top level)" in message


def test_unknown_archetype_names_key_and_allowed_values(client_dir):
    message = config_error(client_dir({"archetype": "bakery"}))
    assert "'archetype'" in message and "'bakery'" in message
    assert all(a in message for a in ARCHETYPES)


def test_unknown_key_is_an_error_not_ignored(client_dir):
    message = config_error(client_dir({"colour": "blue"}))
    assert "'colour'" in message and "unknown key" in message
    assert all(k in message for k in KEYS)  # says which keys are allowed


@pytest.mark.parametrize("key", [k for k, (_, required, _) in KEYS.items() if required])
def test_missing_required_key(client_dir, key):
    message = config_error(client_dir(drop=(key,)))
    assert f"'{key}'" in message and "missing" in message


@pytest.mark.parametrize("key,value", [
    ("seed", "abc"),
    ("seed", 1.5),
    ("seed", True),        # a YAML boolean is not a seed, although bool is an int in Python
    ("client", 123),
    ("archetype", ["manufacturer"]),
    ("portfolio", 5),
    ("currency", {"code": "EUR"}),
    ("strategy", [1, 2]),
    ("security", "high"),
])
def test_wrong_type_names_key_and_expected_type(client_dir, key, value):
    message = config_error(client_dir({key: value}))
    assert f"'{key}'" in message and "expected" in message


def test_negative_seed_and_empty_client(client_dir):
    assert "'seed'" in config_error(client_dir({"seed": -1}))
    assert "'client'" in config_error(client_dir({"client": "   "}))


@pytest.mark.parametrize("key", ["portfolio", "assessment", "taxonomy"])
def test_referenced_file_missing_names_key_and_file(client_dir, key):
    message = config_error(client_dir({key: "missing/file.csv"}))
    assert f"'{key}'" in message and "file not found" in message
    assert str(Path("missing") / "file.csv") in message


@pytest.mark.parametrize("section,expected", [
    ({"strategy": {"colour": 3}}, "strategy.colour"),
    ({"strategy": {"competitors": "many"}}, "strategy.competitors"),
    ({"strategy": {"transformation_success_rate": 7}}, "strategy.transformation_success_rate"),
    ({"security": {"nonsense": 1}}, "security.nonsense"),
    ({"security": {"OT": {"nonsense": 1}}}, "security.OT.nonsense"),
    ({"security": {"lag": 5}}, "security.lag"),
])
def test_bad_analysis_section_fails_at_load_naming_the_key_path(client_dir, section, expected):
    # validated when the config is loaded, so a report never starts on a bad section
    # (the wording after the key path is the section parser's: strategy.py / security.py)
    message = config_error(client_dir(section), says_fix=False)
    assert f"key {expected}:" in message
