//! Parsing intrinsic call text (`States.Format('{} x', $.a, States.Array(1))`) into a tree,
//! with AWS's escapes in quoted strings (`\'`, `\{`, `\}`, `\\`). No evaluation here.

use serde_json::Value;

use crate::workflow::paths::Path;

/// AWS lets a field nest at most ten intrinsic calls.
const MAX_DEPTH: usize = 10;

/// One call: the function and its arguments.
#[derive(Debug, Clone)]
pub(super) struct Expr {
    pub func: Func,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub(super) enum Arg {
    /// A number, `true`, `false` or `null`.
    Literal(Value),
    /// A quoted string, unescaped, with where its `{}` placeholders are.
    Text(Text),
    Path(Path),
    Call(Box<Expr>),
}

/// A quoted string literal.
#[derive(Debug, Clone)]
pub(super) struct Text {
    pub value: String,
    /// The literal split at its unescaped `{}` placeholders (for `States.Format`).
    pub pieces: Vec<String>,
}

macro_rules! functions {
    ($($variant:ident => $name:literal, $min:literal ..= $max:expr;)*) => {
        /// The intrinsic functions AWS defines.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Func { $($variant,)* }

        impl Func {
            pub fn name(self) -> &'static str {
                match self { $(Func::$variant => concat!("States.", $name),)* }
            }

            fn from_name(name: &str) -> Option<Func> {
                match name { $($name => Some(Func::$variant),)* _ => None }
            }

            /// How many arguments it takes, at least and at most.
            fn arity(self) -> (usize, usize) {
                match self { $(Func::$variant => ($min, $max),)* }
            }
        }

        const ALL_NAMES: &[&str] = &[$($name,)*];
    };
}

functions! {
    Format => "Format", 1..=usize::MAX;
    StringToJson => "StringToJson", 1..=1;
    JsonToString => "JsonToString", 1..=1;
    Array => "Array", 0..=usize::MAX;
    ArrayPartition => "ArrayPartition", 2..=2;
    ArrayContains => "ArrayContains", 2..=2;
    ArrayRange => "ArrayRange", 3..=3;
    ArrayGetItem => "ArrayGetItem", 2..=2;
    ArrayLength => "ArrayLength", 1..=1;
    ArrayUnique => "ArrayUnique", 1..=1;
    Base64Encode => "Base64Encode", 1..=1;
    Base64Decode => "Base64Decode", 1..=1;
    Hash => "Hash", 2..=2;
    JsonMerge => "JsonMerge", 3..=3;
    MathRandom => "MathRandom", 2..=3;
    MathAdd => "MathAdd", 2..=2;
    StringSplit => "StringSplit", 2..=2;
    Uuid => "UUID", 0..=0;
}

/// Parses a whole call; nothing but whitespace may follow it.
pub(super) fn parse(text: &str) -> Result<Expr, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    parser.skip_space();
    let expr = parser.call(1)?;
    parser.skip_space();
    if parser.at < parser.chars.len() {
        return Err(format!(
            "unexpected text after the call at position {}",
            parser.at + 1
        ));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        let n = prefix.chars().count();
        self.chars[self.at.min(self.chars.len())..]
            .iter()
            .copied()
            .take(n)
            .eq(prefix.chars())
    }

    fn call(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err(format!("calls may be nested at most {MAX_DEPTH} deep"));
        }
        if !self.rest_starts_with("States.") {
            return Err("an intrinsic call starts with 'States.'".to_string());
        }
        self.at += "States.".len();
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        let func = Func::from_name(&name).ok_or_else(|| {
            format!(
                "States.{name} is not an intrinsic function; the functions are States.{}",
                ALL_NAMES.join(", States.")
            )
        })?;
        self.skip_space();
        if self.peek() != Some('(') {
            return Err(format!("{} must be followed by '('", func.name()));
        }
        self.at += 1;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(')') {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                args.push(self.arg(depth)?);
                self.skip_space();
                match self.peek() {
                    Some(',') => self.at += 1,
                    Some(')') => {
                        self.at += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(format!(
                            "expected ',' or ')' in {} but found '{c}'",
                            func.name()
                        ));
                    }
                    None => return Err(format!("{} is missing its ')'", func.name())),
                }
            }
        }
        check_arity(func, &args)?;
        Ok(Expr { func, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.peek() {
            Some('\'') => self.text().map(Arg::Text),
            Some('$') => self.path(),
            Some('S') if self.rest_starts_with("States.") => {
                self.call(depth + 1).map(|e| Arg::Call(Box::new(e)))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.rest_starts_with(word) {
                        self.at += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                Err(format!(
                    "argument {} is not a 'quoted string', number, boolean, null, path or call",
                    self.word_here()
                ))
            }
            None => Err("the text ends where an argument should be".to_string()),
        }
    }

    fn word_here(&self) -> String {
        self.chars[self.at..]
            .iter()
            .take_while(|c| !matches!(c, ',' | ')'))
            .collect()
    }

    fn number(&mut self) -> Result<Arg, String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        match serde_json::from_str::<serde_json::Number>(&text) {
            Ok(number) => Ok(Arg::Literal(Value::Number(number))),
            Err(_) => Err(format!("'{text}' is not a number")),
        }
    }

    fn path(&mut self) -> Result<Arg, String> {
        let start = self.at;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match quote {
                Some(q) => {
                    if c == '\\' {
                        self.at += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '[' | '(' => depth += 1,
                    ']' => depth = depth.saturating_sub(1),
                    ')' if depth == 0 => break,
                    ')' => depth -= 1,
                    ',' if depth == 0 => break,
                    _ => {}
                },
            }
            self.at += 1;
        }
        let text: String = self.chars[start..self.at.min(self.chars.len())]
            .iter()
            .collect();
        Path::parse(text.trim_end()).map(Arg::Path)
    }

    fn text(&mut self) -> Result<Text, String> {
        self.at += 1; // the opening quote
        let mut value = String::new();
        let mut pieces = vec![String::new()];
        loop {
            let Some(c) = self.peek() else {
                return Err(format!("the string '{value} is never closed"));
            };
            self.at += 1;
            match c {
                '\'' => break,
                '\\' => {
                    let escaped = self.peek();
                    match escaped {
                        Some(e @ ('\'' | '{' | '}' | '\\')) => {
                            self.at += 1;
                            value.push(e);
                            push_piece(&mut pieces, e);
                        }
                        _ => {
                            return Err(format!(
                                "the string '{value}' has a lone backslash; write \\\\ for a \
                                 backslash, \\' for a quote, \\{{ and \\}} for braces"
                            ));
                        }
                    }
                }
                '{' if self.peek() == Some('}') => {
                    self.at += 1;
                    value.push_str("{}");
                    pieces.push(String::new());
                }
                other => {
                    value.push(other);
                    push_piece(&mut pieces, other);
                }
            }
        }
        Ok(Text { value, pieces })
    }
}

fn push_piece(pieces: &mut [String], c: char) {
    if let Some(last) = pieces.last_mut() {
        last.push(c);
    }
}

fn check_arity(func: Func, args: &[Arg]) -> Result<(), String> {
    let (min, max) = func.arity();
    let n = args.len();
    if n < min || n > max {
        let wanted = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(format!(
            "{} takes {wanted} argument(s), not {n}",
            func.name()
        ));
    }
    if func == Func::Format
        && let Some(Arg::Text(template)) = args.first()
    {
        let holes = template.pieces.len() - 1;
        if holes != n - 1 {
            return Err(format!(
                "States.Format's template has {holes} placeholder(s) {{}} but {} value(s) follow it",
                n - 1
            ));
        }
    }
    if func == Func::JsonMerge && matches!(args.get(2), Some(Arg::Literal(Value::Bool(true)))) {
        return Err(
            "States.JsonMerge supports only shallow merging: its third argument must be false"
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn parses_every_kind_of_argument() {
        let expr = parse("States.Array('it\\'s', -1.5, 2, true, false, null, $.a[0], $$.Execution.Id, States.UUID())").unwrap();
        assert_eq!(expr.func, Func::Array);
        assert_eq!(expr.args.len(), 9);
        assert!(matches!(&expr.args[0], Arg::Text(t) if t.value == "it's"));
        assert!(matches!(&expr.args[1], Arg::Literal(v) if v.as_f64() == Some(-1.5)));
        assert!(matches!(&expr.args[6], Arg::Path(p) if p.as_str() == "$.a[0]"));
        assert!(matches!(&expr.args[7], Arg::Path(p) if p.is_context()));
        assert!(matches!(&expr.args[8], Arg::Call(c) if c.func == Func::Uuid));
    }

    #[test]
    fn paths_with_filters_and_commas_stay_whole() {
        let expr = parse("States.Array($.a[?(@.k == 'x,y')].v, $.b[0,1])").unwrap();
        assert!(matches!(&expr.args[0], Arg::Path(p) if p.as_str() == "$.a[?(@.k == 'x,y')].v"));
        assert!(matches!(&expr.args[1], Arg::Path(p) if p.as_str() == "$.b[0,1]"));
    }

    #[test]
    fn escaped_braces_are_not_placeholders() {
        let expr = parse("States.Format('\\{\\} {} \\\\', 'x')").unwrap();
        let Arg::Text(t) = &expr.args[0] else {
            panic!("not text")
        };
        assert_eq!(t.value, "{} {} \\");
        assert_eq!(t.pieces, vec!["{} ".to_string(), " \\".to_string()]);
    }

    #[test]
    fn refuses_malformed_calls_with_reasons() {
        assert!(err("States.Nope(1)").contains("not an intrinsic function"));
        assert!(err("States.Array_2(1)").contains("States.Array_2 is not"));
        assert!(err("States.Format('{} {}', 1)").contains("2 placeholder"));
        assert!(err("States.Format('{}', 1, 2)").contains("placeholder"));
        assert!(err("States.ArrayLength()").contains("takes 1 argument"));
        assert!(err("States.UUID(1)").contains("takes 0"));
        assert!(err("States.Array('open").contains("never closed"));
        assert!(err("States.Array('a\\b')").contains("lone backslash"));
        assert!(err("States.Array(1) extra").contains("after the call"));
        assert!(err("States.Array(hello)").contains("hello"));
        assert!(err("States.Array(1").contains("missing its ')'"));
        assert!(err("States.JsonMerge($.a, $.b, true)").contains("shallow"));
        let deep = (0..11).fold("1".to_string(), |inner, _| format!("States.Array({inner})"));
        assert!(err(&deep).contains("nested"));
        let ten = (0..10).fold("1".to_string(), |inner, _| format!("States.Array({inner})"));
        assert!(parse(&ten).is_ok());
    }
}
