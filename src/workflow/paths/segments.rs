//! The definite part of ASL's path syntax: `$`, `$$`, `.name`, `['name']`, `[index]`.
//! Shared by reference paths and by the fast lane of JSONPath queries; no wildcards here.

use std::fmt::Write as _;

use serde_json::Value;

use crate::workflow::variables::Scope;

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Name(String),
    /// An array index; negative counts from the end (`[-1]` is the last item).
    Index(i64),
}

/// Which document a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// `$`: the state's input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(String),
}

impl Root {
    /// The document the path starts from, if there is one.
    pub fn document<'v>(&self, input: &'v Value, scope: &'v Scope<'_>) -> Option<&'v Value> {
        match self {
            Root::Input => Some(input),
            Root::Context => Some(&scope.context),
            Root::Variable(name) => scope.variables.get(name),
        }
    }
}

/// Why a text is not a definite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotDefinite {
    /// It uses a wildcard, filter, slice, union or `..`: it may select many nodes.
    Indefinite,
    /// It is malformed whatever the flavour.
    Invalid(String),
}

/// Splits off the root marker: `$$`, `$name` (a variable: letters, digits and `_`) or `$`.
pub(crate) fn split_root(text: &str) -> Result<(Root, &str), String> {
    if let Some(rest) = text.strip_prefix("$$") {
        Ok((Root::Context, rest))
    } else if let Some(rest) = text.strip_prefix('$') {
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(at, _)| at);
        if end == 0 {
            return Ok((Root::Input, rest));
        }
        let (name, rest) = rest.split_at(end);
        if let Some(problem) = crate::workflow::variables::name_problem(name) {
            return Err(format!("'{text}': {problem}"));
        }
        Ok((Root::Variable(name.to_owned()), rest))
    } else if text.is_empty() {
        Err("a path cannot be empty; use $ for the whole input".to_string())
    } else {
        Err(format!(
            "'{text}' must start with $ (the input), $$ (the context object) or $name (a variable)"
        ))
    }
}

/// Parses the part after the root marker as names and indices only.
pub(crate) fn parse_definite(rest: &str) -> Result<Vec<Segment>, NotDefinite> {
    let mut segments = Vec::new();
    parse_into(rest, &mut segments)?;
    Ok(segments)
}

/// Pushes steps onto `segments` until the text ends or stops being definite.
fn parse_into(rest: &str, segments: &mut Vec<Segment>) -> Result<(), NotDefinite> {
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let (dot, next) = read_dot_name(&chars, i + 1).map_err(NotDefinite::Invalid)?;
                if dot.wildcard || (dot.name.is_empty() && chars.get(next) == Some(&'.')) {
                    // `.*` (wildcard) or `..` (descendants).
                    return Err(NotDefinite::Indefinite);
                }
                if dot.name.is_empty() {
                    return Err(NotDefinite::Invalid(
                        "a '.' must be followed by a name".to_string(),
                    ));
                }
                match dot.special {
                    Some('*' | '?' | '@' | ',' | ':' | '(' | ')') => {
                        return Err(NotDefinite::Indefinite);
                    }
                    Some(c) => {
                        return Err(NotDefinite::Invalid(format!(
                            "the name '{}' holds {c:?}; write it as ['{}'] or escape it with a backslash",
                            dot.name, dot.name
                        )));
                    }
                    None => {}
                }
                segments.push(Segment::Name(dot.name));
                i = next;
            }
            '[' => {
                i += 1;
                let (segment, next) = parse_bracket(&chars, i)?;
                segments.push(segment);
                i = next;
            }
            other => {
                return Err(NotDefinite::Invalid(format!(
                    "unexpected '{other}'; steps are .name, ['name'] or [index]"
                )));
            }
        }
    }
    Ok(())
}

/// A name written after a `.`, with backslash escapes removed (`$.store\.book` names
/// `store.book`, as the specification allows).
pub(crate) struct DotName {
    pub name: String,
    /// Written as a bare `*`.
    pub wildcard: bool,
    /// The first unescaped character that has a meaning in JSONPath or that is likely a typo
    /// (whitespace, quotes, brackets, operators).
    pub special: Option<char>,
}

/// Reads a dot name starting at `i`; returns it and the index of the next `.`, `[` or end.
pub(crate) fn read_dot_name(chars: &[char], mut i: usize) -> Result<(DotName, usize), String> {
    let mut name = String::new();
    let mut special = None;
    let start = i;
    while let Some(&c) = chars.get(i) {
        match c {
            '.' | '[' => break,
            '\\' => match chars.get(i + 1) {
                Some(&escaped) => {
                    name.push(escaped);
                    i += 2;
                    continue;
                }
                None => return Err("the path ends with a lone backslash".to_string()),
            },
            c if c.is_whitespace() || "]*?@(),:'\"".contains(c) => {
                special.get_or_insert(c);
            }
            _ => {}
        }
        name.push(c);
        i += 1;
    }
    let wildcard = i == start + 1 && chars.get(start) == Some(&'*');
    Ok((
        DotName {
            name,
            wildcard,
            special,
        },
        i,
    ))
}

/// Parses `'name']`, `"name"]` or `12]` starting just after `[`; returns the index after `]`.
fn parse_bracket(chars: &[char], mut i: usize) -> Result<(Segment, usize), NotDefinite> {
    match chars.get(i) {
        Some(&quote @ ('\'' | '"')) => {
            i += 1;
            let mut name = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(NotDefinite::Invalid(format!(
                            "the quoted name {quote}{name} is never closed"
                        )));
                    }
                    // AWS keeps a quoted name as written: a backslash stays, and only
                    // keeps the quote after it from closing the name.
                    Some('\\') => {
                        match chars.get(i + 1) {
                            Some(&c) => {
                                name.push('\\');
                                name.push(c);
                            }
                            None => {
                                return Err(NotDefinite::Invalid(
                                    "the path ends with a lone backslash".to_string(),
                                ));
                            }
                        }
                        i += 2;
                    }
                    Some(&c) if c == quote => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        name.push(c);
                        i += 1;
                    }
                }
            }
            match chars.get(i) {
                Some(']') => Ok((Segment::Name(name), i + 1)),
                // `['a','b']` is a union.
                Some(_) => Err(NotDefinite::Indefinite),
                None => Err(NotDefinite::Invalid("a '[' is never closed".to_string())),
            }
        }
        _ => {
            let start = i;
            while i < chars.len() && chars[i] != ']' {
                i += 1;
            }
            if i == chars.len() {
                return Err(NotDefinite::Invalid("a '[' is never closed".to_string()));
            }
            let body: String = chars[start..i].iter().collect();
            let body = body.trim();
            match body.parse::<i64>() {
                Ok(index) => Ok((Segment::Index(index), i + 1)),
                Err(_) if body.is_empty() => {
                    Err(NotDefinite::Invalid("'[]' names nothing".to_string()))
                }
                // `[*]`, `[0:2]`, `[0,1]`, `[?(...)]`: many nodes.
                Err(_) => Err(NotDefinite::Indefinite),
            }
        }
    }
}

/// Follows `segments` from `root`.
pub(crate) fn walk<'v>(root: &'v Value, segments: &[Segment]) -> Option<&'v Value> {
    let mut node = root;
    for segment in segments {
        node = step(node, segment)?;
    }
    Some(node)
}

fn step<'v>(node: &'v Value, segment: &Segment) -> Option<&'v Value> {
    match (segment, node) {
        (Segment::Name(name), Value::Object(map)) => map.get(name),
        (Segment::Index(index), Value::Array(items)) => {
            let at = resolve_index(*index, items.len())?;
            items.get(at)
        }
        _ => None,
    }
}

/// Turns a possibly negative index into a position, if it is inside `len`.
pub(crate) fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index >= 0 {
        usize::try_from(index).ok().filter(|&at| at < len)
    } else {
        let back = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(back)
    }
}

/// The normalized form AWS prints in messages, e.g. `$['a'][0]`.
pub(crate) fn normalized(root: &Root, segments: &[Segment]) -> String {
    let mut out = match root {
        Root::Input => "$".to_owned(),
        Root::Context => "$$".to_owned(),
        Root::Variable(name) => format!("${name}"),
    };
    for segment in segments {
        match segment {
            // As written, in the quotes the name does not hold (AWS reads quoted names
            // as written, backslashes and all).
            Segment::Name(name) if name.contains('\'') => {
                let _ = write!(out, "[\"{name}\"]");
            }
            Segment::Name(name) => {
                let _ = write!(out, "['{name}']");
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}
