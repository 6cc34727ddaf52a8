"""Sites for jemput-bola planning: site lists, rosters and desa coordinates (``rekam sites import``).

``columns`` recognises the three kinds of file and the site kinds, ``importer`` checks rows with
the register import's rules (quarantine, row numbers, messages), ``store`` keeps the result
under ``REKAM_HOME/sites``. ``rekam plan make`` reads it (planner/inputs.py).
"""
