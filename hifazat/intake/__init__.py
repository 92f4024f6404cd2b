"""Field intake: XLSForms served to ODK Collect over OpenRosa, submissions stored through the registry's services,
and the spreadsheet import of households and people."""
