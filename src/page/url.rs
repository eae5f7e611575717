//! Page state in the URL's query: reading (`?a=1&b=x`, percent-decoded) and
//! writing (`?a=1&b=x%2Cy`, percent-encoded), so a link restores a page.

/// The pairs of a URL query (`?a=1&b=x`), percent-decoded.
pub fn query_pairs(search: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(v)) => {
                    out.push(v);
                    i += 3;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The value of `key` among a query's pairs (the first, when it repeats).
pub fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes everything but RFC 3986's unreserved characters (so a
/// comma, a space, a minus sign `−` or a line break survive a link).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A query string from pairs, in order: `?a=1&b=x`; empty without pairs.
pub fn to_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref())))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A page model's query, written: only what differs from the page as it
/// opens, so a plain visit keeps a plain address.
#[derive(Default)]
pub struct QueryOut(Vec<(&'static str, String)>);

impl QueryOut {
    /// `key=value`, unless the value is the default.
    pub fn put(&mut self, key: &'static str, value: impl ToString, default: impl ToString) {
        let (v, d) = (value.to_string(), default.to_string());
        if v != d {
            self.0.push((key, v));
        }
    }

    /// A menu's value by its word in `options`.
    pub fn word<T: PartialEq + Copy>(
        &mut self,
        key: &'static str,
        options: &[(&'static str, T)],
        v: T,
        d: T,
    ) {
        self.put(key, word_of(options, v), word_of(options, d));
    }

    /// `?a=1&b=x`, or empty.
    pub fn finish(self) -> String {
        to_query(&self.0)
    }
}

/// A page model's query, read: each getter gives a value only when the link
/// has one that reads and that the page offers (the caller keeps its default).
pub struct QueryIn(Vec<(String, String)>);

impl QueryIn {
    pub fn parse(search: &str) -> Self {
        QueryIn(query_pairs(search))
    }

    /// The text at `key` as written.
    pub fn text(&self, key: &str) -> Option<&str> {
        value(&self.0, key)
    }

    /// A number (or any value read with `FromStr`) that `valid` accepts.
    pub fn number<T: std::str::FromStr>(&self, key: &str, valid: impl Fn(&T) -> bool) -> Option<T> {
        self.text(key).and_then(|v| v.parse().ok()).filter(valid)
    }

    /// A menu's value by its word.
    pub fn word<T: Copy>(&self, key: &str, options: &[(&'static str, T)]) -> Option<T> {
        let w = self.text(key)?;
        options.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
    }
}

/// A menu value's word in a link (`options` pairs each value with its word).
pub fn word_of<T: PartialEq + Copy>(options: &[(&'static str, T)], v: T) -> &'static str {
    options.iter().find(|(_, o)| *o == v).map_or("", |(w, _)| w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded() {
        assert_eq!(
            query_pairs("?a=%2C1&b"),
            vec![
                ("a".to_string(), ",1".to_string()),
                ("b".to_string(), String::new())
            ]
        );
        assert_eq!(
            query_pairs("x=a+b%E2%88%92"),
            vec![("x".to_string(), "a b\u{2212}".to_string())]
        );
        assert_eq!(
            query_pairs("?bad=%zz%4"),
            vec![("bad".to_string(), "%zz%4".to_string())]
        );
    }

    #[test]
    fn any_text_round_trips_through_a_query() {
        let texts = [
            "3, \u{2212}2, 1",
            "1, 0, 0\n0, 0, 1",
            "a&b=c?d#e+f%g",
            "猫",
            "",
        ];
        let pairs: Vec<(String, String)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("k{i}"), t.to_string()))
            .collect();
        let q = to_query(&pairs);
        assert!(!q.contains([' ', '\n', '#', '+']), "{q}");
        assert_eq!(q.matches('&').count(), texts.len() - 1, "{q}");
        assert_eq!(query_pairs(&q), pairs);
        assert_eq!(to_query::<&str, &str>(&[]), "");
    }
}
