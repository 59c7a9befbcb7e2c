//! A guard in front of the CSV reader against a quote that is never closed.
//!
//! In CSV a quote at the start of a cell opens a quoted cell that may run over several lines (message
//! text with line breaks). An unclosed quote therefore swallows every later row into one cell, without
//! any error from the CSV reader. [`QuoteGuard`] follows the quote state line by line, the way the CSV
//! reader will, and when a row's quote is not closed within a bound (the end of the file,
//! [`MAX_ROW_BYTES`] or [`MAX_ROW_LINES`]) or the row closes in a way no well-formed row does (more cells
//! than the header, or text right after a closing quote), the row's first line is handed on with its
//! cells quoted as literal text and the lines after it are read again as rows. Every physical line stays
//! one physical line, so the CSV reader's line numbers stay right.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use super::Pending;

/// A row spread over several lines and more bytes than this is taken as an unclosed quote.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;
/// A row spread over more lines than this is taken as an unclosed quote.
pub const MAX_ROW_LINES: usize = 1000;

/// A row that was read with its quotes as text.
#[derive(Debug, PartialEq, Eq)]
pub struct BrokenRow {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// Why, in plain words.
    pub reason: String,
}

/// Passes CSV text through, re-quoting the first line of a row whose quote is never closed.
pub struct QuoteGuard<R> {
    inner: R,
    delimiter: u8,
    /// Cells in the header, once it has been read.
    header_cells: Option<usize>,
    /// Lines read ahead that must be read again as rows, with their line numbers.
    pending: VecDeque<(u64, Vec<u8>)>,
    /// Complete lines taken from `inner` so far.
    lines_read: u64,
    /// Bytes ready to hand out.
    out: Pending,
    /// Rows read with their quotes as text, not yet collected with [`QuoteGuard::take_broken`].
    broken: Vec<BrokenRow>,
    /// Bytes handed on so far, counting those still in `out`.
    emitted: u64,
    /// Where each row handed on starts (byte offset in the output) and the line it starts on in the
    /// input: the CSV reader knows the first, people need the second.
    row_starts: VecDeque<(u64, u64)>,
}

impl<R: BufRead> QuoteGuard<R> {
    /// A guard over `inner`, whose cells are separated by `delimiter`.
    pub fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            header_cells: None,
            pending: VecDeque::new(),
            lines_read: 0,
            out: Pending::default(),
            broken: Vec::new(),
            emitted: 0,
            row_starts: VecDeque::new(),
        }
    }

    /// The input line on which the row starting at `byte` of the output starts (the CSV reader's
    /// `Position::byte`). Rows must be asked for in order; earlier rows are forgotten.
    pub fn line_at(&mut self, byte: u64) -> Option<u64> {
        while self
            .row_starts
            .front()
            .is_some_and(|&(start, _)| start < byte)
        {
            self.row_starts.pop_front();
        }
        self.row_starts.front().map(|&(_, line)| line)
    }

    /// Hands on one row that starts on input line `line_no`.
    fn emit(&mut self, line_no: u64, lines: &[&[u8]]) {
        if lines.iter().any(|l| !strip_line_break(l).is_empty()) {
            self.row_starts.push_back((self.emitted, line_no));
        }
        for line in lines {
            self.out.extend_from_slice(line);
            self.emitted += line.len() as u64;
        }
    }

    /// The rows read with their quotes as text since the last call.
    pub fn take_broken(&mut self) -> Vec<BrokenRow> {
        std::mem::take(&mut self.broken)
    }

    /// The next physical line (with its line break), from the lines to read again first.
    fn next_line(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        let mut line = Vec::new();
        // A line is bounded too, so that a file with no line break is not held whole in memory.
        let read = (&mut self.inner)
            .take(super::MAX_LINE_BYTES as u64)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(None);
        }
        // A piece of an over-long line has the number of the line it is part of.
        let line_no = self.lines_read + 1;
        if line.last() == Some(&b'\n') {
            self.lines_read += 1;
        }
        Ok(Some((line_no, line)))
    }

    /// Reads one row (one or more physical lines) into `out`.
    fn fill(&mut self) -> io::Result<bool> {
        let Some((line_no, first)) = self.next_line()? else {
            return Ok(false);
        };
        let mut scan = Scan::new(self.delimiter);
        scan.line(&first);
        if !scan.in_quote {
            self.accept(&scan);
            self.emit(line_no, &[&first]);
            return Ok(true);
        }
        let mut rest: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut bytes = first.len();
        let problem = loop {
            // One long line is not bounded here (only by the line limit): a long message is no reason to
            // doubt its quotes.
            if rest.len() >= MAX_ROW_LINES || (!rest.is_empty() && bytes > MAX_ROW_BYTES) {
                break Some(format!(
                    "a quote opened in this row is not closed within {MAX_ROW_LINES} lines or 1 MB; \
                     the row was read with its quotes as text"
                ));
            }
            let Some((next_no, next)) = self.next_line()? else {
                break Some(
                    "a quote opened in this row is never closed; the row was read with its quotes as text"
                        .to_owned(),
                );
            };
            bytes += next.len();
            scan.line(&next);
            rest.push((next_no, next));
            if scan.malformed {
                break Some(
                    "a quote opened in this row closes with text right after it, so it was not meant \
                     to span lines; the row was read with its quotes as text"
                        .to_owned(),
                );
            }
            if !scan.in_quote {
                break match self.header_cells {
                    Some(header) if scan.cells > header => Some(format!(
                        "a quote opened in this row closes {} lines later in a row of {} cells where the \
                         header has {header}; the row was read with its quotes as text",
                        rest.len(),
                        scan.cells
                    )),
                    _ => None,
                };
            }
        };
        match problem {
            None => {
                self.accept(&scan);
                let mut lines = vec![first.as_slice()];
                lines.extend(rest.iter().map(|(_, line)| line.as_slice()));
                self.emit(line_no, &lines);
            }
            Some(reason) => {
                self.broken.push(BrokenRow {
                    line: line_no,
                    reason,
                });
                let literal = literal_line(&first, self.delimiter);
                let mut scan = Scan::new(self.delimiter);
                scan.line(&literal);
                self.accept(&scan);
                self.emit(line_no, &[&literal]);
                // The lines the open quote took in are rows of their own: read them again.
                for line in rest.into_iter().rev() {
                    self.pending.push_front(line);
                }
            }
        }
        Ok(true)
    }

    /// Takes the first complete row as the header.
    fn accept(&mut self, scan: &Scan) {
        self.header_cells.get_or_insert(scan.cells);
    }
}

impl<R: BufRead> Read for QuoteGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out.drained() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        Ok(self.out.hand_out(buf))
    }
}

/// A CSV reader (comma separated, header row, rows of any length) over bytes in memory, behind a
/// [`QuoteGuard`]: the platform exports read whole use it.
pub fn guarded_reader(bytes: &[u8]) -> csv::Reader<QuoteGuard<&[u8]>> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(QuoteGuard::new(bytes, b','))
}

/// Reports the rows the guard of `reader` read with their quotes as text, each with its line.
pub fn report_broken(reader: &mut csv::Reader<QuoteGuard<&[u8]>>, report: &mut super::InputReport) {
    for broken in reader.get_mut().take_broken() {
        report.warn(Some(broken.line), broken.reason);
    }
}

/// Reads the `n`th row (0-based) into `record`, reporting rows read with their quotes as text. `None` at
/// the end; otherwise the line the row starts on and whether it could be read.
pub fn next_row(
    reader: &mut csv::Reader<QuoteGuard<&[u8]>>,
    record: &mut csv::StringRecord,
    report: &mut super::InputReport,
    n: u64,
) -> Option<(u64, Result<(), csv::Error>)> {
    let read = reader.read_record(record);
    report_broken(reader, report);
    match read {
        Ok(false) => None,
        Ok(true) => Some((
            record_line(reader, record.position()).unwrap_or(n + 2),
            Ok(()),
        )),
        Err(err) => Some((
            record_line(reader, err.position()).unwrap_or(n + 2),
            Err(err),
        )),
    }
}

/// The input line a record read through a [`QuoteGuard`] starts on.
pub fn record_line<R: BufRead>(
    reader: &mut csv::Reader<QuoteGuard<R>>,
    position: Option<&csv::Position>,
) -> Option<u64> {
    position.and_then(|p| reader.get_mut().line_at(p.byte()))
}

/// The CSV quote state after some lines of a row, as the CSV reader sees it.
struct Scan {
    delimiter: u8,
    /// Cells so far.
    cells: usize,
    in_quote: bool,
    /// Inside a quoted cell, a quote was just seen: either an escaped quote or the closing one.
    quote_seen: bool,
    at_cell_start: bool,
    /// Text followed a closing quote (`"a"b`), which well-formed CSV never has.
    malformed: bool,
}

impl Scan {
    fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            cells: 1,
            in_quote: false,
            quote_seen: false,
            at_cell_start: true,
            malformed: false,
        }
    }

    fn line(&mut self, line: &[u8]) {
        let body = strip_line_break(line);
        for &byte in body {
            if self.in_quote {
                if self.quote_seen {
                    self.quote_seen = false;
                    if byte == b'"' {
                        // `""` inside quotes is one quote.
                        continue;
                    }
                    self.in_quote = false;
                    self.at_cell_start = false;
                    if byte == self.delimiter {
                        self.cells += 1;
                        self.at_cell_start = true;
                    } else {
                        self.malformed = true;
                    }
                } else if byte == b'"' {
                    self.quote_seen = true;
                }
            } else if byte == self.delimiter {
                self.cells += 1;
                self.at_cell_start = true;
            } else if byte == b'"' && self.at_cell_start {
                self.in_quote = true;
                self.at_cell_start = false;
            } else {
                // A quote in the middle of an unquoted cell is literal.
                self.at_cell_start = false;
            }
        }
        if self.in_quote && self.quote_seen {
            // The closing quote ends the line.
            self.in_quote = false;
            self.quote_seen = false;
        }
        if line.len() != body.len() && !self.in_quote {
            self.at_cell_start = true;
        }
    }
}

fn strip_line_break(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The line as a complete CSV row: cells before the unclosed quote decoded as usual, the rest split at
/// the delimiters with its quotes as text, every cell quoted.
fn literal_line(line: &[u8], delimiter: u8) -> Vec<u8> {
    let body = strip_line_break(line);
    let line_break = line.get(body.len()..).unwrap_or_default();
    let mut cells: Vec<Vec<u8>> = Vec::new();
    let mut rest = body;
    loop {
        let (mut cell, after) = if rest.first() == Some(&b'"') {
            match quoted_cell(rest) {
                Some(found) => found,
                None => {
                    cells.extend(rest.split(|&b| b == delimiter).map(<[u8]>::to_vec));
                    break;
                }
            }
        } else {
            (Vec::new(), 0)
        };
        let tail = rest.get(after..).unwrap_or_default();
        let end = tail.iter().position(|&b| b == delimiter);
        cell.extend_from_slice(tail.get(..end.unwrap_or(tail.len())).unwrap_or_default());
        cells.push(cell);
        match end {
            Some(end) => rest = tail.get(end + 1..).unwrap_or_default(),
            None => break,
        }
    }
    let mut out = Vec::with_capacity(line.len() + 2 * cells.len() + 8);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        out.push(b'"');
        for &byte in cell {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    }
    out.extend_from_slice(line_break);
    out
}

/// The text of a quoted cell at the start of `text`, and where it ends (after the closing quote); `None`
/// when the quote is not closed.
fn quoted_cell(text: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut cell = Vec::new();
    let mut i = 1;
    while let Some(&byte) = text.get(i) {
        if byte == b'"' {
            if text.get(i + 1) == Some(&b'"') {
                cell.push(b'"');
                i += 2;
                continue;
            }
            return Some((cell, i + 1));
        }
        cell.push(byte);
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str) -> (String, Vec<BrokenRow>) {
        let mut guard = QuoteGuard::new(text.as_bytes(), b',');
        let mut out = String::new();
        guard.read_to_string(&mut out).unwrap();
        (out, guard.take_broken())
    }

    #[test]
    fn well_formed_rows_pass_unchanged() {
        let text =
            "id,role,text\r\nc1,ai,\"two\r\nlines, \"\"quoted\"\"\"\r\nc1,customer,say \"hi\"\r\n";
        assert_eq!(guarded(text), (text.to_owned(), Vec::new()));
    }

    #[test]
    fn one_long_quoted_cell_on_one_line_is_not_doubted() {
        let text = format!(
            "id,role,text\nc1,ai,\"{}\"\nc1,customer,hi\n",
            "x".repeat(MAX_ROW_BYTES + 10)
        );
        assert_eq!(guarded(&text), (text.clone(), Vec::new()));
    }

    #[test]
    fn an_unclosed_quote_is_read_as_text_and_the_next_rows_are_rows() {
        let (out, broken) = guarded("id,role,text\nc1,ai,\"hello, you\nc1,customer,hi\nc1,ai,bye");
        assert_eq!(
            out,
            "id,role,text\n\"c1\",\"ai\",\"\"\"hello\",\" you\"\nc1,customer,hi\nc1,ai,bye"
        );
        assert_eq!(broken.len(), 1);
        assert_eq!(broken.first().map(|b| b.line), Some(2));
    }

    #[test]
    fn a_quote_closed_rows_later_with_too_many_cells_is_text() {
        let (out, broken) = guarded("id,role,text\nc1,ai,\"hello\nc1,customer,\"hi\",x\n");
        assert_eq!(out.lines().count(), 3);
        assert_eq!(broken.len(), 1);
    }

    #[test]
    fn text_after_a_closing_quote_on_a_later_line_is_text() {
        let (out, broken) = guarded("id,role,text\nc1,ai,\"hello\nc1,customer,hi\nc1,ai,\"bye\"\n");
        assert!(out.starts_with("id,role,text\n\"c1\""), "{out}");
        assert_eq!(broken.len(), 1);
    }
}
