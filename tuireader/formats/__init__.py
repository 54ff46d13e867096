"""Writers for the citation formats (BibTeX, CSL-JSON, RIS); registered in :mod:`tuireader.export`."""
