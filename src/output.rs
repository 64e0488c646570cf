//! The only code that writes to stdout: NDJSON figures and timeline documents, buffered, with the
//! final flush checked. A closed pipe (`casrep extract | head -1`) ends the run quietly.

use std::io::{self, BufWriter, Write};

use crate::figure::Figure;

/// True when `err` comes from writing to a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

pub struct Stdout {
    out: BufWriter<io::StdoutLock<'static>>,
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            out: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        }
    }

    pub fn figure(&mut self, f: &Figure) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, f)?;
        self.out.write_all(b"\n")
    }

    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}
