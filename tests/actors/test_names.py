import pytest

from realpolitik.actors.names import name_parts, romanization_key, same_person


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hwang Ji-hwan", "Ji-hwan Hwang"),  # reversed order
        ("Chung Eui-yong", "Jung Eui-yong"),  # Ch/J romanization
        ("Seo Wook", "Suh Wook"),  # eo/u with silent h
        ("Raymond Pacheco Pardo", "Ramon Pacheco Pardo"),  # near-equal long part
        ("Pardo", "Ramon Pacheco Pardo"),  # surname only
        ("Mohammed bin Salman", "Muhammad bin Salman"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
    ],
)
def test_variants_are_the_same_person(a: str, b: str) -> None:
    assert same_person(a, b)
    assert same_person(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Yo-jong"),  # shared family name, different people
        ("Kim Jong-un", "Kim Jong-il"),
        ("Joe Biden", "Hunter Biden"),
        ("Kim", "Kin Lee"),  # a lone part never joins on sound alone
        ("Lee Jae-myung", "Lee Nak-yon"),
    ],
)
def test_different_people_stay_apart(a: str, b: str) -> None:
    assert not same_person(a, b)


def test_titles_and_particles_are_not_name_parts() -> None:
    assert name_parts("President Moon Jae-in") == ("moon", "jaein")
    assert name_parts("Ursula von der Leyen") == ("ursula", "leyen")


def test_romanization_key_merges_variants_only() -> None:
    assert romanization_key("Choi") == romanization_key("Choe")
    assert romanization_key("Park") != romanization_key("Kim")
