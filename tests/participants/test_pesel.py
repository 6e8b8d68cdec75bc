"""PESEL: one validator, the birth date and sex it holds, and the leading zeros it keeps."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from participants.pesel import mask_pesel, parse_pesel
from tests.factories import make_pesel


@pytest.mark.parametrize(
    ("pesel", "birth_date", "sex"),
    [
        ("44051401359", datetime.date(1944, 5, 14), "M"),  # the classic example, 1900s
        ("02070803628", datetime.date(1902, 7, 8), "K"),  # a leading zero, 1900s
        ("02270803624", datetime.date(2002, 7, 8), "K"),  # month + 20: born in the 2000s
        ("05210900753", datetime.date(2005, 1, 9), "M"),
    ],
)
def test_it_reads_birth_date_and_sex(pesel, birth_date, sex):
    data = parse_pesel(pesel)
    assert (data.number, data.birth_date, data.sex) == (pesel, birth_date, sex)


def test_a_leading_zero_stays_eleven_characters():
    assert len(parse_pesel("02070803628").number) == 11


@pytest.mark.parametrize(
    ("pesel", "code"),
    [
        ("44051401358", "checksum"),
        ("2070803628", "invalid_format"),  # leading zero lost, as a spreadsheet does
        ("440514013590", "invalid_format"),
        ("4405140135A", "invalid_format"),
        ("", "invalid_format"),
        ("44023001356", "invalid_date"),  # 30 February
        ("44133101357", "invalid_date"),  # month 13
    ],
)
def test_it_refuses_bad_numbers_with_a_reason(pesel, code):
    with pytest.raises(ValidationError) as error:
        parse_pesel(pesel)
    assert error.value.code == code


def test_the_impossible_dates_used_above_have_valid_checksums():
    from stdnum.pl.pesel import calc_check_digit

    for pesel in ("44023001356", "44133101357"):
        assert calc_check_digit(pesel[:10]) == pesel[10]


def test_it_refuses_a_birth_date_in_the_future():
    pesel = make_pesel(datetime.date(2099, 1, 1), "K")
    with pytest.raises(ValidationError) as error:
        parse_pesel(pesel)
    assert error.value.code == "future_date"


def test_a_wrong_checksum_is_explained_in_polish():
    with pytest.raises(ValidationError) as error:
        parse_pesel("44051401358")
    assert "cyfr" in error.value.messages[0]


def test_masking_shows_the_last_four_digits():
    assert mask_pesel("02070803628") == "•••••••3628"
    assert mask_pesel("") == ""
