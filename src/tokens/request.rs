//! Reading sample requests: plain text, a chat request (JSON), or JSONL with one request per
//! line. Parsing only; counting is in [`super::count`].

use serde::Serialize;
use serde_json::Value;

use crate::error::InputError;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// By extension (`.json`: chat, `.jsonl`/`.ndjson`: JSONL, else text); stdin by content.
    Auto,
    /// The whole file is one prompt.
    Text,
    /// One chat request: `{"messages": [...]}` or a bare messages array.
    Chat,
    /// One request per line: a JSON string, a chat request, or an object with a text field.
    Jsonl,
}

/// Which side of a request a file holds: it decides which text field of an object counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Prompts: `messages`, else `prompt`, `input`, `text`, `content`.
    Prompt,
    /// Responses: `completion`, `response`, `output`, `content`, `text`.
    Completion,
    /// Either (the `tokens` command): `messages`, else the first text field found.
    Any,
}

impl Side {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Side::Prompt => &["prompt", "input", "text", "content"],
            Side::Completion => &["completion", "response", "output", "content", "text"],
            Side::Any => &[
                "prompt",
                "input",
                "text",
                "content",
                "completion",
                "response",
                "output",
            ],
        }
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// `system`, `user`, `assistant`, `tool`.
    pub role: String,
    /// Text content, part by part (a `refusal` counts as content).
    pub content: Vec<String>,
    /// Optional participant name (a tool message's `tool_call_id` counts the same way).
    pub name: Option<String>,
    /// Tool or function calls: (name, arguments).
    pub calls: Vec<(String, String)>,
    /// Non-text parts (images, audio) that were not counted.
    pub uncounted_parts: usize,
}

/// One request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Plain text.
    Text(String),
    /// A chat request, with the number of tool definitions it carried (not counted).
    Chat(Vec<Message>, usize),
}

fn file_error(path: &str, line: Option<u64>, message: String) -> InputError {
    InputError::File {
        kind: "file",
        path: path.to_string(),
        line,
        message,
    }
}

/// Bytes as UTF-8 without a byte-order mark; invalid bytes are an error naming the line and
/// byte offset, or are replaced when `lossy`.
pub fn decode(bytes: Vec<u8>, path: &str, lossy: bool) -> Result<String, InputError> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            return Err(file_error(
                path,
                Some(line),
                format!("invalid UTF-8 at byte {offset}; pass --lossy to replace invalid bytes"),
            ));
        }
    };
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// The kind `auto` resolves to for a path (`-` is stdin, decided by content).
pub fn resolve_kind(kind: InputKind, path: &str, text: &str) -> InputKind {
    if kind != InputKind::Auto {
        return kind;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        InputKind::Jsonl
    } else if lower.ends_with(".json") {
        InputKind::Chat
    } else if path == "-" {
        let trimmed = text.trim_start();
        if (trimmed.starts_with('{') || trimmed.starts_with('['))
            && serde_json::from_str::<Value>(text).is_ok()
        {
            InputKind::Chat
        } else if !trimmed.is_empty()
            && text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(|l| serde_json::from_str::<Value>(l).is_ok())
        {
            InputKind::Jsonl
        } else {
            InputKind::Text
        }
    } else {
        InputKind::Text
    }
}

/// serde_json's message without its own " at line L column C" (the caller places the error).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    if e.column() == 0 {
        format!("malformed JSON: {message}")
    } else {
        format!("column {}: malformed JSON: {message}", e.column())
    }
}

/// Parses a file's text as `kind` (not `auto`), taking the `side` field of objects.
pub fn parse(
    text: &str,
    path: &str,
    kind: InputKind,
    side: Side,
) -> Result<Vec<Request>, InputError> {
    let error = |line: Option<u64>, message: String| file_error(path, line, message);
    if text.trim().is_empty() {
        return Err(error(None, "empty: there is nothing to count".into()));
    }
    match kind {
        InputKind::Auto | InputKind::Text => Ok(vec![Request::Text(text.to_string())]),
        InputKind::Chat => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| error(Some(e.line() as u64), json_message(&e)))?;
            Ok(vec![request_of(&value, side).map_err(|m| error(None, m))?])
        }
        InputKind::Jsonl => {
            let mut requests = Vec::new();
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let number = index as u64 + 1;
                let value: Value = serde_json::from_str(line)
                    .map_err(|e| error(Some(number), json_message(&e)))?;
                requests.push(request_of(&value, side).map_err(|m| error(Some(number), m))?);
            }
            Ok(requests)
        }
    }
}

fn request_of(value: &Value, side: Side) -> Result<Request, String> {
    match value {
        Value::String(text) => Ok(Request::Text(text.clone())),
        Value::Array(messages) => Ok(Request::Chat(messages_of(messages)?, 0)),
        Value::Object(map) => {
            if side != Side::Completion
                && let Some(messages) = map.get("messages")
            {
                let messages = messages
                    .as_array()
                    .ok_or("'messages' must be an array of messages")?;
                let tools = map
                    .get("tools")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                return Ok(Request::Chat(messages_of(messages)?, tools));
            }
            let fields = side.fields();
            fields
                .iter()
                .find_map(|field| map.get(*field).and_then(Value::as_str))
                .map(|text| Request::Text(text.to_string()))
                .ok_or_else(|| {
                    let what = if side == Side::Completion {
                        ""
                    } else {
                        "'messages' or "
                    };
                    format!(
                        "expected a string, or an object with {what}one of '{}'",
                        fields.join("', '")
                    )
                })
        }
        _ => Err("expected a string, a messages array or an object".to_string()),
    }
}

fn messages_of(values: &[Value]) -> Result<Vec<Message>, String> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let map = value
                .as_object()
                .ok_or_else(|| format!("message {}: not an object", i + 1))?;
            let role = map
                .get("role")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("message {}: no 'role'", i + 1))?;
            let mut message = Message {
                role: role.to_string(),
                ..Message::default()
            };
            match map.get("content") {
                None | Some(Value::Null) => {}
                Some(Value::String(text)) => message.content.push(text.clone()),
                Some(Value::Array(parts)) => {
                    for part in parts {
                        match part.get("text").and_then(Value::as_str) {
                            Some(text) => message.content.push(text.to_string()),
                            None => message.uncounted_parts += 1,
                        }
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "message {}: 'content' must be a string or an array of parts",
                        i + 1
                    ));
                }
            }
            if let Some(refusal) = map.get("refusal").and_then(Value::as_str) {
                message.content.push(refusal.to_string());
            }
            message.name = map
                .get("name")
                .or_else(|| map.get("tool_call_id"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let calls = map
                .get("tool_calls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            let legacy = map.get("function_call").into_iter();
            for call in calls.chain(legacy) {
                let function = call.get("function").unwrap_or(call);
                let field = |name: &str| {
                    function
                        .get(name)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                };
                message.calls.push((field("name"), field("arguments")));
            }
            Ok(message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_requests() {
        let chat = r#"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "name": "ann", "content": [{"type": "text", "text": "Hi"}, {"type": "image_url", "image_url": {"url": "x"}}]}], "tools": [{"type": "function"}]}"#;
        let requests = parse(chat, "c.json", InputKind::Chat, Side::Prompt).expect("valid");
        let Request::Chat(messages, tools) = &requests[0] else {
            panic!("chat")
        };
        assert_eq!((messages.len(), *tools), (2, 1));
        assert_eq!(messages[1].name.as_deref(), Some("ann"));
        assert_eq!(
            (messages[1].content.len(), messages[1].uncounted_parts),
            (1, 1)
        );
        let jsonl =
            "\"plain\"\n{\"prompt\": \"p\"}\n\n[{\"role\": \"user\", \"content\": \"x\"}]\n";
        assert_eq!(
            parse(jsonl, "r.jsonl", InputKind::Jsonl, Side::Prompt)
                .expect("valid")
                .len(),
            3
        );
    }

    #[test]
    fn each_side_takes_its_own_field() {
        let line = r#"{"prompt": "one two three", "completion": "x"}"#;
        let prompt = parse(line, "r.jsonl", InputKind::Jsonl, Side::Prompt).expect("valid");
        let completion = parse(line, "r.jsonl", InputKind::Jsonl, Side::Completion).expect("valid");
        assert_eq!(prompt[0], Request::Text("one two three".into()));
        assert_eq!(completion[0], Request::Text("x".into()));
        let err = parse(
            r#"{"prompt": "p"}"#,
            "r.jsonl",
            InputKind::Jsonl,
            Side::Completion,
        )
        .expect_err("no completion");
        assert!(
            err.to_string().contains("'completion', 'response'"),
            "{err}"
        );
    }

    #[test]
    fn tool_messages_and_legacy_calls() {
        let chat = r#"[{"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}, "refusal": "no"},
                       {"role": "tool", "tool_call_id": "call_1", "content": "42"}]"#;
        let requests = parse(chat, "c.json", InputKind::Chat, Side::Prompt).expect("valid");
        let Request::Chat(messages, _) = &requests[0] else {
            panic!("chat")
        };
        assert_eq!(messages[0].calls, [("f".to_string(), "{}".to_string())]);
        assert_eq!(messages[0].content, ["no"]);
        assert_eq!(messages[1].name.as_deref(), Some("call_1"));
    }

    #[test]
    fn errors_name_line_and_problem() {
        let err = parse(
            "{\"prompt\": 1}\n{bad",
            "r.jsonl",
            InputKind::Jsonl,
            Side::Prompt,
        )
        .expect_err("bad")
        .to_string();
        assert!(
            err.contains("line 1") && err.contains("expected a string"),
            "{err}"
        );
        let err = parse(
            "\"ok\"\n{\"a\": 1,}",
            "r.jsonl",
            InputKind::Jsonl,
            Side::Prompt,
        )
        .expect_err("bad")
        .to_string();
        assert_eq!(
            err,
            "file 'r.jsonl', line 2: column 9: malformed JSON: trailing comma"
        );
        let err = parse("{\"messages\": [", "c.json", InputKind::Chat, Side::Prompt)
            .expect_err("truncated")
            .to_string();
        assert!(
            err.contains("malformed JSON: EOF while parsing") && !err.contains("column 0"),
            "{err}"
        );
        let err = parse(
            "[{\"content\": \"x\"}]",
            "c.json",
            InputKind::Chat,
            Side::Prompt,
        )
        .expect_err("no role")
        .to_string();
        assert!(err.contains("message 1: no 'role'"), "{err}");
        let err = parse(" \n", "e.txt", InputKind::Text, Side::Prompt)
            .expect_err("empty")
            .to_string();
        assert!(err.contains("empty"), "{err}");
        let err = decode(b"\"a\"\n\"b\xff\"\n".to_vec(), "x.jsonl", false)
            .expect_err("invalid")
            .to_string();
        assert_eq!(
            err,
            "file 'x.jsonl', line 2: invalid UTF-8 at byte 6; pass --lossy to replace invalid bytes"
        );
        assert_eq!(
            decode(vec![b'a', 0xff], "x.txt", true).expect("lossy"),
            "a\u{fffd}"
        );
        assert_eq!(
            decode("\u{feff}{}".as_bytes().to_vec(), "x.json", false).expect("bom"),
            "{}"
        );
    }

    #[test]
    fn auto_kind() {
        assert_eq!(
            resolve_kind(InputKind::Auto, "a.JSONL", ""),
            InputKind::Jsonl
        );
        assert_eq!(resolve_kind(InputKind::Auto, "a.json", ""), InputKind::Chat);
        assert_eq!(
            resolve_kind(InputKind::Auto, "a.txt", "{}"),
            InputKind::Text
        );
        assert_eq!(
            resolve_kind(
                InputKind::Auto,
                "-",
                "[{\"role\":\"user\",\"content\":\"x\"}]"
            ),
            InputKind::Chat
        );
        assert_eq!(
            resolve_kind(InputKind::Auto, "-", "\"a\"\n\"b\"\n"),
            InputKind::Jsonl
        );
        assert_eq!(resolve_kind(InputKind::Auto, "-", "hello"), InputKind::Text);
    }
}
