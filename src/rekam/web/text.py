"""The pages' words and number formats, in Bahasa Indonesia (default) and English.

Numbers and days follow the reader's language: 1.234.567, 99,40 % and 27-11-2024 in
Indonesian, 1,234,567, 99.40 % and 27 Nov 2024 in English; ``rekam.numbers`` formats them
(the same for the CLI and the files). Error messages come from ``rekam.messages``.
"""

from __future__ import annotations

from datetime import date

from jinja2 import pass_context
from jinja2.runtime import Context

from rekam import numbers

LANGS = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "app": "rekam", "login": "Masuk", "logout": "Keluar", "username": "Nama pengguna",
        "password": "Kata sandi", "overview": "Ringkasan", "map": "Peta", "quality": "Kualitas data",
        "import": "Impor data", "plan": "Rencana jemput bola", "lists": "Daftar by name",
        "country": "Indonesia", "region": "Wilayah", "code": "Kode", "wajib": "Wajib KTP-el",
        "sudah": "Sudah rekam", "belum": "Belum rekam", "coverage": "Cakupan", "target": "Target",
        "gap": "Kekurangan ke target", "people": "orang", "pemula": "Pemilih pemula",
        "pemula_coverage": "Cakupan pemula", "trend": "Tren per snapshot", "snapshot": "Snapshot",
        "export_date": "Tanggal ekspor", "ranking": "Peringkat kab/kota", "formula": "Rumus",
        "score": "Skor", "rank": "Peringkat", "as_of": "per tanggal", "download": "Unduh",
        "masked": "NIK disamarkan", "no_data": "Belum ada data register. Impor ekspor SIAK dulu.",
        "children_kab": "Kabupaten/kota", "children_kec": "Kecamatan", "children_desa": "Desa/kelurahan",
        "children_prov": "Provinsi", "legend": "Warna: cakupan desa", "no_coords": "Koordinat desa belum diimpor ('rekam sites import').",
        "upload": "Unggah ekspor SIAK", "upload_button": "Impor", "rows_read": "Baris dibaca",
        "accepted": "Diterima", "quarantined": "Dikarantina", "warnings": "Peringatan",
        "quarantine_file": "Berkas karantina", "no_plan": "Belum ada rencana. Buat dengan 'rekam plan solve SKENARIO'.",
        "team": "Tim", "date": "Tanggal", "stops": "Lokasi", "expected": "Perkiraan perekaman",
        "list_kind": "Jenis daftar", "name": "Nama", "address": "Alamat", "sex": "JK", "birth_date": "Tgl lahir",
        "status": "Status KTP-el", "language": "English", "n_people": "Jumlah orang",
        "drill": "Rinci", "flagged": "Desa ditandai", "figure": "Angka", "lists_for": "Daftar untuk",
        "counter": "Loket", "election_day": "Hari pemungutan suara", "service_point": "Tempat layanan",
        "blanko_left": "Sisa blanko", "waiting": "Menunggu", "take_number": "Ambil nomor",
        "call_next": "Panggil berikutnya", "called": "Dipanggil", "served": "Selesai", "no_show": "Tidak hadir",
        "find": "Cari", "nik": "NIK", "or": "atau", "not_in_register": "Tidak ada di register: akan ditindaklanjuti ke SIAK",
        "perekaman": "Perekaman", "rekam_ulang": "Rekam ulang", "pencetakan": "Cetak KTP-el",
        "pencetakan_ulang": "Cetak ulang", "surat_keterangan": "Surat keterangan", "logged": "Tercatat",
        "logged_before": "Sudah tercatat sebelumnya (permintaan diulang)", "confirm": "Tetap rekam (konfirmasi)",
        "recordings": "Perekaman", "prints": "Cetak", "hour": "Jam", "total": "Jumlah", "updated": "Diperbarui",
        "choose_point": "Pilih tempat layanan", "no_points": "Belum ada tempat layanan ('rekam service-points add').",
        "history": "Riwayat layanan", "number": "Nomor",
        "reconcile": "Rekonsiliasi akhir hari", "print": "Cetak halaman", "problems": "Perlu diperiksa",
        "reconcile_ok": "Semua cocok: kartu tercetak = blanko terpakai, hitungan fisik = buku.",
        "services": "Layanan", "kind": "Jenis", "done": "Selesai", "failed": "Gagal",
        "blanko_opening": "Saldo awal", "blanko_received": "Diterima", "blanko_used": "Terpakai",
        "blanko_spoiled": "Rusak", "blanko_returned": "Dikembalikan", "blanko_transfer_out": "Dipindahkan keluar",
        "blanko_transfer_in": "Dipindahkan masuk", "blanko_adjustment": "Penyesuaian hitungan",
        "blanko_closing": "Saldo akhir", "counts": "Hitungan fisik", "counted": "Dihitung",
        "expected_count": "Menurut buku", "difference": "Selisih", "queue": "Antrean",
        "queue_tickets": "Nomor diambil", "queue_served": "Dilayani", "queue_no_show": "Tidak hadir",
        "queue_open": "Belum selesai", "queue_mean_wait_minutes": "Rata-rata tunggu (menit)",
        "queue_max_wait_minutes": "Tunggu terlama (menit)", "signed": "Petugas / Kepala",
        "follow_up": "Tindak lanjut", "per_hour": "Per jam: perekaman / cetak (waktu setempat)",
        "pemula_belum": "Pemula belum rekam",
    },
    "en": {
        "app": "rekam", "login": "Log in", "logout": "Log out", "username": "Username",
        "password": "Password", "overview": "Overview", "map": "Map", "quality": "Data quality",
        "import": "Import data", "plan": "Outreach plan", "lists": "By-name lists",
        "country": "Indonesia", "region": "Region", "code": "Code", "wajib": "Must hold a KTP-el",
        "sudah": "Recorded", "belum": "Not recorded", "coverage": "Coverage", "target": "Target",
        "gap": "Gap to target", "people": "people", "pemula": "First-time voters",
        "pemula_coverage": "First-time voter coverage", "trend": "Trend by snapshot", "snapshot": "Snapshot",
        "export_date": "Export date", "ranking": "Kab/kota ranking", "formula": "Formula",
        "score": "Score", "rank": "Rank", "as_of": "as of", "download": "Download",
        "masked": "NIK masked", "no_data": "No register data yet. Import a SIAK export first.",
        "children_kab": "Regencies/cities", "children_kec": "Districts", "children_desa": "Villages",
        "children_prov": "Provinces", "legend": "Colour: village coverage", "no_coords": "No village coordinates imported yet ('rekam sites import').",
        "upload": "Upload a SIAK export", "upload_button": "Import", "rows_read": "Rows read",
        "accepted": "Accepted", "quarantined": "Quarantined", "warnings": "Warnings",
        "quarantine_file": "Quarantine file", "no_plan": "No plan yet. Make one with 'rekam plan solve SCENARIO'.",
        "team": "Team", "date": "Date", "stops": "Sites", "expected": "Expected recordings",
        "list_kind": "List", "name": "Name", "address": "Address", "sex": "Sex", "birth_date": "Born",
        "status": "KTP-el status", "language": "Bahasa Indonesia", "n_people": "People",
        "drill": "Details", "flagged": "Flagged villages", "figure": "Figure", "lists_for": "Lists for",
        "counter": "Counter", "election_day": "Election day", "service_point": "Service point",
        "blanko_left": "Blank cards left", "waiting": "Waiting", "take_number": "Take a number",
        "call_next": "Call next", "called": "Called", "served": "Served", "no_show": "No-show",
        "find": "Find", "nik": "NIK", "or": "or", "not_in_register": "Not in the register: flagged for SIAK follow-up",
        "perekaman": "Recording", "rekam_ulang": "Re-recording", "pencetakan": "Print KTP-el",
        "pencetakan_ulang": "Reprint", "surat_keterangan": "Certificate (surat keterangan)", "logged": "Logged",
        "logged_before": "Already logged (a repeated request)", "confirm": "Record anyway (confirm)",
        "recordings": "Recordings", "prints": "Prints", "hour": "Hour", "total": "Total", "updated": "Updated",
        "choose_point": "Choose a service point", "no_points": "No service points yet ('rekam service-points add').",
        "history": "Service history", "number": "Number",
        "reconcile": "End-of-day reconciliation", "print": "Print this page", "problems": "To check",
        "reconcile_ok": "Everything matches: cards printed = blanko used, physical counts = the book.",
        "services": "Services", "kind": "Kind", "done": "Done", "failed": "Failed",
        "blanko_opening": "Opening balance", "blanko_received": "Received", "blanko_used": "Used",
        "blanko_spoiled": "Spoiled", "blanko_returned": "Returned", "blanko_transfer_out": "Transferred out",
        "blanko_transfer_in": "Transferred in", "blanko_adjustment": "Count adjustment",
        "blanko_closing": "Closing balance", "counts": "Physical counts", "counted": "Counted",
        "expected_count": "By the book", "difference": "Difference", "queue": "Queue",
        "queue_tickets": "Tickets", "queue_served": "Served", "queue_no_show": "No-show",
        "queue_open": "Still open", "queue_mean_wait_minutes": "Mean wait (minutes)",
        "queue_max_wait_minutes": "Longest wait (minutes)", "signed": "Operator / Head",
        "follow_up": "Follow-up", "per_hour": "Per hour: recordings / prints (local time)",
        "pemula_belum": "First-time voters not recorded",
    },
}  # fmt: skip


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["id"]).get(key) or LABELS["id"].get(key, key)


def number(value: int | float | None, lang: str = "id") -> str:
    """1.234.567 (id) or 1,234,567 (en); a float with 2 decimals; an empty string for None."""
    return numbers.number(value, lang)


def percent(value: float | None, lang: str = "id") -> str:
    """99,40 % (id) or 99.40 % (en); a dash for None (no one to count)."""
    return numbers.percent(value, lang)


@pass_context
def day(context: Context, value: date | None) -> str:
    """A template filter: 27-11-2024 (id) or 27 Nov 2024 (en), in the page's language (``lang``)."""
    return numbers.day(value, context.get("lang", "id"))
