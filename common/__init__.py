"""Helpers that belong to no domain of the programme, used by every app (one home per rule):

- :mod:`common.text`: names in NFC, search keys without diacritics, Vietnamese alphabetical order;
- :mod:`common.dates`: month arithmetic, ages in completed years, "active at D";
- :mod:`common.money`: whole VND typed or read from a file;
- :mod:`common.formats`: dates, numbers, money and shares as the active language writes them;
- :mod:`common.fields`: form fields for dates and money;
- :mod:`common.signals`: ``data_changed``, sent by every write path of programme data;
- template tags ``{% load ishc %}``: ``vnd``, ``percent``, ``progress_value``, ``sort_value``.
"""
