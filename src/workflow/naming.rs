//! AWS Step Functions' names and ARNs: the rule every state machine and execution name
//! must follow, the ARNs of the local account this engine runs in, and text made into a
//! name AWS accepts or a file name any system accepts. Text rules only; nothing runs here.

/// The start of every ARN made up for local runs: region `local`, account
/// `000000000000`, as Step Functions Local has them.
pub const LOCAL_ARN_PREFIX: &str = "arn:aws:states:local:000000000000:";

/// The name of a state machine whose ARN names none.
pub const DEFAULT_MACHINE_NAME: &str = "StateMachine";

/// The longest name AWS accepts, in characters, for a state machine, an execution or a state.
pub const MAX_NAME_CHARS: usize = 80;

/// The account of an ARN that names none.
const LOCAL_ACCOUNT: &str = "000000000000";

/// The punctuation AWS refuses in names (besides whitespace and control characters).
const RESERVED: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";

/// A name AWS would refuse, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name holds a character AWS refuses in names.
    #[error("a name may not hold U+{:04X}", u32::from(*.0))]
    Refused(char),
    /// The name is empty or longer than [`MAX_NAME_CHARS`]; the count of its characters.
    #[error("a name must be 1 to {MAX_NAME_CHARS} characters, not {0}")]
    Length(usize),
}

/// Whether AWS accepts `c` in a state machine or execution name: anything but
/// whitespace, control characters, brackets, wildcards and `"#%\^|~`$&,;:/`.
pub fn is_name_char(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || RESERVED.contains(c))
}

/// AWS's rule for state machine and execution names: 1 to 80 characters, each one
/// [`is_name_char`]. A refused character is reported before a wrong length.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if let Some(c) = name.chars().find(|c| !is_name_char(*c)) {
        return Err(NameError::Refused(c));
    }
    match name.chars().count() {
        0 => Err(NameError::Length(0)),
        count if count > MAX_NAME_CHARS => Err(NameError::Length(count)),
        _ => Ok(()),
    }
}

/// The local ARN of the state machine `name`: `arn:aws:states:local:000000000000:stateMachine:NAME`.
pub fn state_machine_arn(name: &str) -> String {
    format!("{LOCAL_ARN_PREFIX}stateMachine:{name}")
}

/// An execution's ARN as AWS derives it from its state machine's:
/// `arn:…:stateMachine:M` and `NAME` give `arn:…:execution:M:NAME`. A state machine ARN
/// without `:stateMachine:` stands for a machine named `StateMachine`.
pub fn execution_arn(state_machine_arn: &str, name: &str) -> String {
    let (prefix, machine) = machine_parts(state_machine_arn);
    format!("{prefix}:execution:{machine}:{name}")
}

/// The part of a state machine ARN before `:stateMachine:`, and the machine's name.
pub(crate) fn machine_parts(state_machine_arn: &str) -> (&str, &str) {
    state_machine_arn
        .rsplit_once(":stateMachine:")
        .unwrap_or((state_machine_arn, DEFAULT_MACHINE_NAME))
}

/// The role an execution of this machine runs as, in the machine's account:
/// `arn:aws:iam::ACCOUNT:role/StepFunctions-MACHINE-role`, as the AWS console names it.
pub(crate) fn role_arn(state_machine_arn: &str) -> String {
    let (prefix, machine) = machine_parts(state_machine_arn);
    let account = prefix.split(':').nth(4).unwrap_or(LOCAL_ACCOUNT);
    format!("arn:aws:iam::{account}:role/StepFunctions-{machine}-role")
}

/// `text` as a readable part of a name: lower-case letters and digits (any script)
/// kept, every run of anything else one `-`. The result holds only name characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// `text` (a file's stem, say) as a state machine name: letters, digits (any script),
/// `-` and `_` kept as they are, every other character a `-`, cut to 80 characters.
/// `None` when that leaves nothing but a `-`.
pub fn machine_name_from(text: &str) -> Option<String> {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(MAX_NAME_CHARS)
        .collect();
    Some(name).filter(|n| !n.is_empty() && n != "-")
}

/// `name` as a file name that every file system takes: ASCII letters, digits, `-` and
/// `_` kept, every other character a `_`.
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_arns_follow_aws_shapes() {
        let machine = state_machine_arn("registration");
        assert_eq!(
            machine,
            "arn:aws:states:local:000000000000:stateMachine:registration"
        );
        assert_eq!(
            execution_arn(&machine, "x-1"),
            "arn:aws:states:local:000000000000:execution:registration:x-1"
        );
        assert_eq!(
            execution_arn("arn:local", "x"),
            "arn:local:execution:StateMachine:x"
        );
        assert_eq!(
            role_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:m"),
            "arn:aws:iam::123456789012:role/StepFunctions-m-role"
        );
        assert_eq!(
            role_arn("arn"),
            "arn:aws:iam::000000000000:role/StepFunctions-StateMachine-role"
        );
    }

    #[test]
    fn names_follow_aws_rules() {
        assert_eq!(check_name("nguyễn-léa_1"), Ok(()));
        assert_eq!(check_name(&"x".repeat(80)), Ok(()));
        assert_eq!(check_name(&"x".repeat(81)), Err(NameError::Length(81)));
        assert_eq!(check_name(""), Err(NameError::Length(0)));
        assert_eq!(check_name("a b"), Err(NameError::Refused(' ')));
        assert_eq!(check_name("a\u{1b}"), Err(NameError::Refused('\u{1b}')));
        for c in RESERVED.chars() {
            assert_eq!(check_name(&format!("a{c}")), Err(NameError::Refused(c)));
        }
    }

    #[test]
    fn made_names_hold_only_what_they_may() {
        assert_eq!(slug("Nguyễn <3>-Léa Marie"), "nguyễn-3-léa-marie");
        assert_eq!(slug(" \u{1b}"), "-");
        assert_eq!(
            machine_name_from("my flow.asl").as_deref(),
            Some("my-flow-asl")
        );
        assert_eq!(machine_name_from("?"), None);
        assert_eq!(machine_name_from(""), None);
        assert_eq!(
            machine_name_from(&"é".repeat(90)).map(|n| n.chars().count()),
            Some(80)
        );
        assert_eq!(file_safe("nguyễn-léa_1:x"), "nguy_n-l_a_1_x");
    }
}
