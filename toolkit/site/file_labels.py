"""How a reader is told about a file offered for download: its type in words and its size as
GOV.UK writes it ("supervision-record.docx (Word document, 24 KB)"). One place for the download
lists, the document library and the PDF links, which all say the same."""

from __future__ import annotations

from pathlib import Path

FILE_TYPES = {
    ".doc": "Word document", ".docx": "Word document", ".dotx": "Word template", ".odt": "OpenDocument text",
    ".xls": "Excel spreadsheet", ".xlsx": "Excel spreadsheet", ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV spreadsheet", ".pdf": "PDF", ".ppt": "PowerPoint presentation",
    ".pptx": "PowerPoint presentation", ".odp": "OpenDocument presentation", ".txt": "text file",
    ".md": "Markdown text", ".rtf": "Rich Text document", ".png": "PNG image", ".jpg": "JPEG image",
    ".jpeg": "JPEG image", ".svg": "SVG image", ".zip": "ZIP archive",
}


def file_type(path: Path) -> str:
    return FILE_TYPES.get(path.suffix.lower(), f"{path.suffix.lstrip('.').upper() or 'plain'} file")


def file_size(size: int) -> str:
    """Sizes as GOV.UK writes them: 912 bytes, 24 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} byte{'s' * (size != 1)}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"
