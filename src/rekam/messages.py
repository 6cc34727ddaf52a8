"""User-facing messages in Bahasa Indonesia (default) and English (``REKAM_LANG=en``).

Every message a user can see is here, keyed by a short name, so translations stay
together and no message can carry personal data by accident: the parameters are file
names, row numbers, column names, codes and counts.
"""

from __future__ import annotations

import os
from typing import Any

ID: dict[str, str] = {
    # import: whole-file problems
    "file_missing": "{file}: berkas tidak ditemukan. Periksa nama dan lokasi berkas.",
    "file_empty": "{file}: berkas kosong. Ekspor ulang data dari SIAK.",
    "file_binary": "{file}: bukan berkas teks CSV, XLSX atau Parquet. Simpan ulang sebagai CSV atau XLSX.",
    "file_unreadable": "{file}: berkas tidak dapat dibaca ({detail}). Simpan ulang sebagai CSV (UTF-8) atau XLSX.",
    "file_kind": "{file}: jenis berkas tidak dikenal. Gunakan CSV, XLSX atau Parquet.",
    "no_data_rows": "{files}: hanya ada baris judul, tidak ada baris data. Ekspor ulang data dari SIAK.",
    "missing_columns": "{file}: kolom wajib tidak ada: {columns}. Ekspor ulang dengan kolom tersebut (lihat docs/import.md).",
    "no_header_sheet": "{file}: tidak ada sheet dengan baris judul yang memuat kolom NIK.",
    "no_rows_accepted": "Tidak ada baris yang diterima dari {rows_read} baris yang dibaca; data tidak diubah. Lihat berkas karantina: {quarantine_file}",
    "out_of_memory": "Memori tidak cukup untuk impor ini (batas {limit}); data tidak diubah. Naikkan REKAM_MEMORY_LIMIT (mis. REKAM_MEMORY_LIMIT=4GB) atau impor per kab/kota.",
    "stale_import": "Data {kab} bertanggal {current}, lebih baru dari ekspor ini ({date}). Tambahkan --force untuk tetap mengimpor.",
    "no_snapshot": "Belum ada data register. Jalankan 'rekam import BERKAS' terlebih dahulu.",
    "no_previous_snapshot": "Tidak ada snapshot sebelumnya untuk dikembalikan.",
    "unknown_snapshot": "Snapshot {snapshot} tidak ada. Lihat 'rekam snapshots'.",
    "engine_missing": "Mesin {engine} belum terpasang. Pasang dengan: pip install {package}",
    "engine_unknown": "Mesin analitik tidak dikenal: {engine}. Gunakan duckdb atau spark.",
    "bad_region": "Kode wilayah tidak valid: {code}. Gunakan bentuk 13.71 atau 1371.",
    "unknown_region": "Wilayah {code} tidak ada dalam data register.",
    "bad_date": "Tanggal tidak valid untuk {option}: {value}. Gunakan bentuk TTTT-BB-HH, misalnya 2024-11-27.",
    "bad_option": "Nilai tidak valid untuk {option}: {value}. {hint}",
    "election_date_needed": "Daftar {kind} memerlukan --election-date (hari pemungutan suara).",
    "list_belum-rekam": "Daftar wajib KTP-el belum rekam",
    "list_rekam-ulang": "Daftar perlu rekam ulang",
    "list_pemula": "Daftar pemilih pemula belum rekam",
    "list_akan-wajib": "Daftar akan wajib KTP-el sebelum pemungutan suara, belum rekam",
    "list_rentan": "Daftar penduduk rentan wajib KTP-el belum rekam",
    "list_belum-cetak": "Daftar sudah rekam, KTP-el belum dicetak",
    "list_risiko-nonaktif": "Daftar berisiko NIK dinonaktifkan (21 tahun ke atas, belum rekam)",
    "list_written": "{people} orang ditulis ke {out}",
    "verify_failed": "{file}: {count} masalah, tidak ada yang disimpan:",
    "verify_not_rekam": "{file}: bukan lembar kerja daftar rekam (lembar _rekam tidak ada). Gunakan berkas dari 'rekam list'.",
    "verify_other_snapshot": "{file}: dibuat dari snapshot {snapshot} yang tidak ada di sini.",
    "verify_sheet_missing": "lembar untuk desa {desa} tidak ada",
    "verify_row_added": "baris tambahan atau kunci baris diubah",
    "verify_nik_edited": "NIK diubah",
    "verify_name_edited": "nama diubah",
    "verify_bad_value": "Hasil verifikasi tidak dikenal: {value}",
    "verify_rows_removed": "{count} baris dihapus",
    "verify_where": "lembar {sheet}, baris {row}: {problem}",
    "verify_where_sheet": "lembar {sheet}: {problem}",
    "verify_done": "{file}: {outcomes} hasil verifikasi disimpan.",
    "hint_target": "Gunakan persen 0-100 dengan paling banyak 2 desimal, mis. 99.4.",
    "level_above_region": "--level {level} berada di atas --region {region}; pilih tingkat yang sama atau di bawahnya.",
    # row reasons (quarantine)
    "NIK_FORMAT": "NIK harus 16 digit angka",
    "NIK_EXCEL_NUMBER": "NIK tersimpan sebagai angka Excel (hanya 15 digit bermakna, digit terakhir hilang). Format kolom NIK sebagai Teks lalu ekspor ulang",
    "NIK_PROVINCE": "kode provinsi pada NIK tidak dikenal",
    "NIK_KABKOTA_ZERO": "kode kabupaten/kota pada NIK bernilai 00",
    "NIK_KECAMATAN_ZERO": "kode kecamatan pada NIK bernilai 00",
    "NIK_BIRTH_DATE": "bagian tanggal lahir pada NIK bukan tanggal yang ada",
    "NIK_SERIAL": "nomor urut NIK 0000",
    "NIK_MISSING": "NIK kosong",
    "NIK_DUPLICATE": "NIK sudah ada pada {kept}",
    "BIRTH_DATE_MISSING": "TGL_LHR kosong",
    "BIRTH_DATE_INVALID": "TGL_LHR bukan tanggal yang dikenali",
    "BIRTH_DATE_FUTURE": "TGL_LHR setelah tanggal ekspor",
    "VALUE_NOT_IN_LIST": "nilai kolom {column} tidak dikenal",
    "REQUIRED_EMPTY": "kolom {column} kosong",
    "REGION_INVALID": "kode wilayah (NO_PROP/NO_KAB/NO_KEC/NO_KEL) tidak valid",
    "TOO_FEW_FIELDS": "jumlah kolom kurang dari baris judul",
    "TOO_MANY_FIELDS": "jumlah kolom lebih dari baris judul",
    "MALFORMED_ROW": "baris tidak dapat dibaca ({detail})",
    "row_message": "{file}, baris {row}: {reasons}",
    "row_ref": "{file} baris {row}",
    "SEX_INVALID": "JENIS_KLMIN kosong atau tidak dikenal (gunakan 1/LAKI-LAKI/L atau 2/PEREMPUAN/P)",
    "MARITAL_INVALID": "STAT_KWN kosong atau tidak dikenal (1-4 atau BELUM KAWIN/KAWIN/CERAI HIDUP/CERAI MATI)",
    "KTP_STATUS_INVALID": "status KTP-el kosong atau tidak dikenal (lihat docs/import.md)",
}

EN: dict[str, str] = {
    "file_missing": "{file}: file not found. Check the file name and location.",
    "file_empty": "{file}: the file is empty. Export the data from SIAK again.",
    "file_binary": "{file}: not a CSV, XLSX or Parquet text file. Save it again as CSV or XLSX.",
    "file_unreadable": "{file}: cannot be read ({detail}). Save it again as CSV (UTF-8) or XLSX.",
    "file_kind": "{file}: unknown file type. Use CSV, XLSX or Parquet.",
    "no_data_rows": "{files}: only a header row, no data rows. Export the data from SIAK again.",
    "missing_columns": "{file}: required columns missing: {columns}. Export again with those columns (see docs/import.md).",
    "no_header_sheet": "{file}: no sheet has a header row with a NIK column.",
    "no_rows_accepted": "No row accepted of the {rows_read} rows read; nothing was changed. See the quarantine file: {quarantine_file}",
    "out_of_memory": "Not enough memory for this import (limit {limit}); nothing was changed. Raise REKAM_MEMORY_LIMIT (e.g. REKAM_MEMORY_LIMIT=4GB) or import one kab/kota at a time.",
    "stale_import": "The data of {kab} is dated {current}, newer than this export ({date}). Add --force to import anyway.",
    "no_snapshot": "No register data yet. Run 'rekam import FILE' first.",
    "no_previous_snapshot": "There is no previous snapshot to roll back to.",
    "unknown_snapshot": "Snapshot {snapshot} does not exist. See 'rekam snapshots'.",
    "engine_missing": "The {engine} engine is not installed. Install it with: pip install {package}",
    "engine_unknown": "Unknown analytics engine: {engine}. Use duckdb or spark.",
    "bad_region": "Invalid region code: {code}. Use the form 13.71 or 1371.",
    "unknown_region": "Region {code} is not in the register data.",
    "bad_date": "Invalid date for {option}: {value}. Use YYYY-MM-DD, e.g. 2024-11-27.",
    "bad_option": "Invalid value for {option}: {value}. {hint}",
    "election_date_needed": "The {kind} list needs --election-date (election day).",
    "list_belum-rekam": "Wajib KTP-el not yet recorded",
    "list_rekam-ulang": "Must record again",
    "list_pemula": "First-time voters not yet recorded",
    "list_akan-wajib": "Wajib KTP-el by election day, not yet recorded",
    "list_rentan": "Vulnerable wajib KTP-el not yet recorded",
    "list_belum-cetak": "Recorded, card not printed",
    "list_risiko-nonaktif": "At risk of NIK deactivation (21+, not recorded)",
    "list_written": "{people} people written to {out}",
    "verify_failed": "{file}: {count} problems, nothing was stored:",
    "verify_not_rekam": "{file}: not a rekam list workbook (no _rekam sheet). Use a file made by 'rekam list'.",
    "verify_other_snapshot": "{file}: made from snapshot {snapshot}, which is not here.",
    "verify_sheet_missing": "the sheet for desa {desa} is missing",
    "verify_row_added": "a row added, or its row key changed",
    "verify_nik_edited": "NIK edited",
    "verify_name_edited": "name edited",
    "verify_bad_value": "unknown verification result: {value}",
    "verify_rows_removed": "{count} rows removed",
    "verify_where": "sheet {sheet}, row {row}: {problem}",
    "verify_where_sheet": "sheet {sheet}: {problem}",
    "verify_done": "{file}: {outcomes} verification results stored.",
    "hint_target": "Use a percentage 0-100 with at most 2 decimals, e.g. 99.4.",
    "level_above_region": "--level {level} is above --region {region}; choose the same level or a lower one.",
    "NIK_FORMAT": "NIK must be 16 digits",
    "NIK_EXCEL_NUMBER": "NIK was stored as an Excel number (only 15 significant digits, the last digit is lost). Format the NIK column as Text and export again",
    "NIK_PROVINCE": "unknown province code in the NIK",
    "NIK_KABKOTA_ZERO": "kab/kota code 00 in the NIK",
    "NIK_KECAMATAN_ZERO": "kecamatan code 00 in the NIK",
    "NIK_BIRTH_DATE": "the birth-date part of the NIK is not a real date",
    "NIK_SERIAL": "NIK serial 0000",
    "NIK_MISSING": "NIK is empty",
    "NIK_DUPLICATE": "NIK already present at {kept}",
    "BIRTH_DATE_MISSING": "TGL_LHR is empty",
    "BIRTH_DATE_INVALID": "TGL_LHR is not a recognised date",
    "BIRTH_DATE_FUTURE": "TGL_LHR is after the export date",
    "VALUE_NOT_IN_LIST": "unknown value in column {column}",
    "REQUIRED_EMPTY": "column {column} is empty",
    "REGION_INVALID": "invalid region code (NO_PROP/NO_KAB/NO_KEC/NO_KEL)",
    "TOO_FEW_FIELDS": "fewer fields than the header row",
    "TOO_MANY_FIELDS": "more fields than the header row",
    "MALFORMED_ROW": "the row cannot be read ({detail})",
    "row_message": "{file}, row {row}: {reasons}",
    "row_ref": "{file} row {row}",
    "SEX_INVALID": "JENIS_KLMIN empty or unknown (use 1/LAKI-LAKI/L or 2/PEREMPUAN/P)",
    "MARITAL_INVALID": "STAT_KWN empty or unknown (1-4 or BELUM KAWIN/KAWIN/CERAI HIDUP/CERAI MATI)",
    "KTP_STATUS_INVALID": "KTP-el status empty or unknown (see docs/import.md)",
}


def language() -> str:
    return "en" if os.environ.get("REKAM_LANG", "id").lower().startswith("en") else "id"


def text(key: str, **params: Any) -> str:
    """The message ``key`` in the user's language, filled with ``params``."""
    table = EN if language() == "en" else ID
    template = table.get(key) or ID.get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
