from django.core.management import call_command

from geo.gazetteer import DATA_DIR


def test_committed_data_is_what_the_command_builds(tmp_path):
    call_command("build_gazetteer", output_dir=tmp_path)

    for name in ("us_places.tsv.gz", "us_zips.tsv.gz", "us_states.tsv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
