//! [`Snapshot::decode`]: the format of [`codec`](super::codec) read back from untrusted
//! bytes, every field checked; any defect is a [`SnapshotError`], never a panic.
use super::codec::{checksum, CHECKSUM_AT, COUNTS, FORMAT_VERSION, HEADER_LEN, MAGIC};
use super::wire::Reader;
use super::{
    Endpoint, SnapDataset, SnapField, SnapNamespace, SnapRow, Snapshot, SnapshotError, Strings, Sym,
};

/// What the header says.
struct Header {
    taken_at_ms: u64,
    /// Strings, attributes, endpoints, rows, namespaces, datasets, fields.
    counts: [u64; COUNTS],
}

/// The header of `bytes`, after checking magic, version, length and checksum.
fn header(bytes: &[u8]) -> Result<Header, SnapshotError> {
    if bytes.len() >= MAGIC.len() && bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::BadMagic);
    }
    let mut r = Reader::new(bytes);
    let head = r.take(HEADER_LEN).map_err(|_| SnapshotError::Truncated)?;
    let mut h = Reader::new(&head[MAGIC.len()..]);
    let found = h.u16()?;
    if found != FORMAT_VERSION {
        return Err(SnapshotError::Version { found });
    }
    let taken_at_ms = h.u64()?;
    let mut counts = [0u64; COUNTS];
    for c in &mut counts {
        *c = h.u64()?;
    }
    let expected = h.u64()?;
    let payload = &bytes[HEADER_LEN..];
    if expected != payload.len() as u64 {
        let found = payload.len() as u64;
        return Err(SnapshotError::Length { expected, found });
    }
    if checksum(&head[..CHECKSUM_AT], payload) != head[CHECKSUM_AT..] {
        return Err(SnapshotError::Checksum);
    }
    Ok(Header {
        taken_at_ms,
        counts,
    })
}

/// A count as a length, after checking that the bytes left can hold that many entries of
/// at least `min_bytes` each (so a bad count never allocates), and that indices into the
/// table fit a [`Sym`].
fn count(r: &Reader<'_>, n: u64, min_bytes: u64) -> Result<usize, SnapshotError> {
    if n > u64::from(u32::MAX) || n.saturating_mul(min_bytes) > r.left() as u64 {
        return Err(SnapshotError::Malformed("count larger than the payload"));
    }
    Ok(n as usize)
}

/// Fail unless `items` is in non-decreasing order (strictly increasing with `strict`).
fn check_sorted<T: Ord>(
    items: &[T],
    strict: bool,
    what: &'static str,
) -> Result<(), SnapshotError> {
    let ok = items
        .windows(2)
        .all(|w| if strict { w[0] < w[1] } else { w[0] <= w[1] });
    ok.then_some(()).ok_or(SnapshotError::Malformed(what))
}

impl Snapshot {
    /// Read a snapshot written by [`Snapshot::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let h = header(bytes)?;
        let [n_str, n_attr, n_end, n_row, n_ns, n_ds, n_f] = h.counts;
        let mut r = Reader::new(&bytes[HEADER_LEN..]);
        let strings = strings(&mut r, n_str)?;
        let attrs = attrs(&mut r, n_attr)?;
        let ends = endpoints(&mut r, n_end, strings.len())?;
        let rows = rows(&mut r, n_row, strings.len(), &ends, &attrs)?;
        let namespaces = namespaces(&mut r, n_ns, strings.len())?;
        let datasets = datasets(&mut r, n_ds, strings.len())?;
        let fields = fields(&mut r, n_f, strings.len())?;
        if r.left() != 0 {
            return Err(SnapshotError::Malformed("bytes after the last section"));
        }
        Ok(Snapshot {
            taken_at_ms: h.taken_at_ms,
            strings,
            rows,
            datasets,
            fields,
            namespaces,
        })
    }
}

/// Section 1: front-coded strings, checked to be UTF-8 and strictly increasing.
fn strings(r: &mut Reader<'_>, n: u64) -> Result<Strings, SnapshotError> {
    let n = count(r, n, 2)?;
    let mut out = Strings::default();
    out.ends.reserve(n);
    let mut text: Vec<u8> = Vec::new();
    for i in 0..n {
        let shared = r.varint()?;
        if shared > text.len() as u64 {
            return Err(SnapshotError::Malformed(
                "string shares more than its predecessor",
            ));
        }
        let prev_len = text.len();
        let prev_start = out.all.len() - prev_len;
        text.truncate(shared as usize);
        let tag = r.varint()?;
        let len = usize::try_from(tag >> 1).map_err(|_| SnapshotError::Truncated)?;
        match tag & 1 {
            1 => r.hex(len, &mut text)?,
            _ => text.extend_from_slice(r.take(len)?),
        }
        let s = std::str::from_utf8(&text)
            .map_err(|_| SnapshotError::Malformed("string is not UTF-8"))?;
        if i > 0 && &out.all.as_bytes()[prev_start..] >= s.as_bytes() {
            return Err(SnapshotError::Malformed("strings not sorted and distinct"));
        }
        out.push(s);
    }
    Ok(out)
}

/// Section 2: attribute hashes, strictly increasing.
fn attrs(r: &mut Reader<'_>, n: u64) -> Result<Vec<u64>, SnapshotError> {
    let n = count(r, n, 8)?;
    let attrs = (0..n).map(|_| r.u64()).collect::<Result<Vec<_>, _>>()?;
    check_sorted(&attrs, true, "attributes not sorted and distinct")?;
    Ok(attrs)
}

/// Section 3: endpoints, strictly increasing.
fn endpoints(r: &mut Reader<'_>, n: u64, n_str: usize) -> Result<Vec<Endpoint>, SnapshotError> {
    let n = count(r, n, 3)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(Endpoint {
            namespace: r.index(n_str)?,
            dataset: r.index(n_str)?,
            field: r.index(n_str)?,
        });
    }
    check_sorted(&out, true, "endpoints not sorted and distinct")?;
    Ok(out)
}

/// Section 4: rows, non-decreasing.
fn rows(
    r: &mut Reader<'_>,
    n: u64,
    n_str: usize,
    ends: &[Endpoint],
    attrs: &[u64],
) -> Result<Vec<SnapRow>, SnapshotError> {
    let n = count(r, n, 4)?;
    let mut out = Vec::with_capacity(n);
    let mut id: u64 = 0;
    for _ in 0..n {
        id = id.saturating_add(r.varint()?);
        if id >= n_str as u64 {
            return Err(SnapshotError::OutOfRange);
        }
        let source = ends[r.index(ends.len())? as usize];
        let target = ends[r.index(ends.len())? as usize];
        let attrs = attrs[r.index(attrs.len())? as usize];
        let lineage_id = id as Sym;
        out.push(SnapRow {
            lineage_id,
            source,
            target,
            attrs,
        });
    }
    check_sorted(&out, false, "rows not sorted")?;
    Ok(out)
}

/// Section 5: namespaces, non-decreasing.
fn namespaces(
    r: &mut Reader<'_>,
    n: u64,
    n_str: usize,
) -> Result<Vec<SnapNamespace>, SnapshotError> {
    let n = count(r, n, 9)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.index(n_str)?;
        out.push(SnapNamespace {
            id,
            content: r.u64()?,
        });
    }
    check_sorted(&out, false, "namespaces not sorted")?;
    Ok(out)
}

/// Section 6: datasets, non-decreasing.
fn datasets(r: &mut Reader<'_>, n: u64, n_str: usize) -> Result<Vec<SnapDataset>, SnapshotError> {
    let n = count(r, n, 11)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (id, name, namespace_id) = (r.index(n_str)?, r.index(n_str)?, r.index(n_str)?);
        let content = r.u64()?;
        out.push(SnapDataset {
            id,
            name,
            namespace_id,
            content,
        });
    }
    check_sorted(&out, false, "datasets not sorted")?;
    Ok(out)
}

/// Section 7: fields, non-decreasing.
fn fields(r: &mut Reader<'_>, n: u64, n_str: usize) -> Result<Vec<SnapField>, SnapshotError> {
    let n = count(r, n, 10)?;
    let mut out = Vec::with_capacity(n);
    let mut dataset: u64 = 0;
    for _ in 0..n {
        dataset = dataset.saturating_add(r.varint()?);
        if dataset >= n_str as u64 {
            return Err(SnapshotError::OutOfRange);
        }
        let name = r.index(n_str)?;
        let content = r.u64()?;
        out.push(SnapField {
            dataset_id: dataset as Sym,
            name,
            content,
        });
    }
    check_sorted(&out, false, "fields not sorted")?;
    Ok(out)
}
