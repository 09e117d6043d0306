"""The kinds of file a corpus may hold, by name: what the folder listing takes for a page (and what
it names in a warning as passed over), and which reader reads each kind (store.ingest.formats),
imported by name when a file of that kind is first read: a corpus of text pages never loads the
PDF or HTML libraries, and checking a corpus for changes loads no reader at all."""

TEXT_SUFFIXES = (".txt", ".text")  # a page id is the file's name without these (ids made before other formats)
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Each kind's reader as module:function in store/ingest/formats/.
READERS = {".html": "html:read_html", ".htm": "html:read_html", ".docx": "docx:read_docx", ".pdf": "pdf:read_pdf"}
PAGE_SUFFIXES = (*TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *READERS)
