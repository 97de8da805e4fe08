//! Makes `src/commands.rs` the one list of the app's commands. Every `#[tauri::command]` found
//! there becomes, at build time:
//! - an `allow-<command>` permission (through `tauri_build`'s app manifest);
//! - an entry in `capabilities/commands.json`, which grants the main window exactly those;
//! - an entry in the `generate_handler!` list that `lib.rs` includes from `OUT_DIR`;
//! - a typed wrapper in `ui/src/api/commands.ts`, with the command's doc comment, its
//!   arguments under the names Tauri expects (camelCase) and its result type from the ts-rs
//!   bindings.
//!
//! Generated files are written only when their content changes, so a build does not trigger
//! another. CI fails when a committed generated file is stale.

use std::fmt::Write as _;
use std::path::Path;

/// One command as the window sees it.
struct Command {
    name: String,
    docs: Vec<String>,
    /// (Rust name, TypeScript type), window-supplied arguments only.
    args: Vec<(String, String)>,
    result: String,
}

fn main() {
    println!("cargo:rerun-if-changed=src/commands.rs");
    let source = std::fs::read_to_string("src/commands.rs").expect("read src/commands.rs");
    let file = syn::parse_file(&source).expect("parse src/commands.rs");
    let commands: Vec<Command> = file.items.iter().filter_map(command).collect();
    assert!(!commands.is_empty(), "no #[tauri::command] functions found in src/commands.rs");

    let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    #[allow(clippy::disallowed_methods)] // cargo hands a build script its output folder this way
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let handler = format!(
        "::tauri::generate_handler![{}]\n",
        names.iter().map(|n| format!("crate::commands::{n}")).collect::<Vec<_>>().join(", ")
    );
    write_if_changed(&Path::new(&out_dir).join("handler.rs"), &handler);
    write_if_changed(Path::new("capabilities/commands.json"), &capability(&names));
    write_if_changed(Path::new("../ui/src/api/commands.ts"), &typescript(&commands));

    // The manifest wants a `'static` list; a build script may leak it.
    let names: &'static [&'static str] = names.into_iter().map(|n| &*n.to_string().leak()).collect::<Vec<_>>().leak();
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .expect("tauri build script failed");
}

/// The command an item declares, if it is a `#[tauri::command]` function.
fn command(item: &syn::Item) -> Option<Command> {
    let syn::Item::Fn(f) = item else { return None };
    let is_command = f.attrs.iter().any(|a| {
        let segments: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
        segments == ["tauri", "command"] || segments == ["command"]
    });
    if !is_command {
        return None;
    }
    let name = f.sig.ident.to_string();
    let docs = f
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(arg) = input else { panic!("command {name} takes self") };
        let syn::Pat::Ident(ident) = &*arg.pat else { panic!("command {name}: arguments must be plain names") };
        if is_injected(&arg.ty) {
            continue;
        }
        let arg_name = ident.ident.to_string().trim_start_matches("r#").to_string();
        args.push((arg_name, ts_type(&arg.ty, &name)));
    }
    let result = match &f.sig.output {
        syn::ReturnType::Default => "null".to_string(),
        syn::ReturnType::Type(_, ty) => match last_segment(ty) {
            Some((ident, generics)) if ident == "Result" => ts_type(&generics[0], &name),
            _ => panic!("command {name} must return Result<T>"),
        },
    };
    Some(Command { name, docs, args, result })
}

/// Arguments Tauri supplies itself, which the window does not send.
fn is_injected(ty: &syn::Type) -> bool {
    matches!(last_segment(ty), Some((ident, _)) if ["State", "AppHandle", "Window", "WebviewWindow"].contains(&ident.as_str()))
}

/// The last path segment of a type and its generic arguments: `Option<Vec<T>>` → ("Option", [Vec<T>]).
fn last_segment(ty: &syn::Type) -> Option<(String, Vec<syn::Type>)> {
    let syn::Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    let generics = match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((seg.ident.to_string(), generics))
}

/// The TypeScript type the window sends or receives for a Rust type, as serde serializes it.
/// Any other named type is a ts-rs binding in `ui/src/bindings` with the same name.
fn ts_type(ty: &syn::Type, command: &str) -> String {
    match ty {
        syn::Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        syn::Type::Tuple(t) => {
            format!("[{}]", t.elems.iter().map(|e| ts_type(e, command)).collect::<Vec<_>>().join(", "))
        }
        syn::Type::Reference(r) => ts_type(&r.elem, command),
        _ => {
            let (ident, generics) =
                last_segment(ty).unwrap_or_else(|| panic!("command {command}: unsupported argument type"));
            match ident.as_str() {
                "String" | "str" | "PathBuf" | "NaiveDate" => "string".into(),
                "bool" => "boolean".into(),
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => {
                    "number".into()
                }
                "Value" => "Json".into(),
                "Option" => format!("{} | null", ts_type(&generics[0], command)),
                "Vec" => {
                    let inner = ts_type(&generics[0], command);
                    if inner.contains(" | ") {
                        format!("({inner})[]")
                    } else {
                        format!("{inner}[]")
                    }
                }
                _ => ident,
            }
        }
    }
}

/// `list_postmortems` → `listPostmortems`, the way Tauri names arguments on the wire.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn capability(names: &[&str]) -> String {
    let permissions: Vec<String> = names.iter().map(|n| format!("    \"allow-{}\"", n.replace('_', "-"))).collect();
    format!(
        "{{\n  \"$schema\": \"../gen/schemas/desktop-schema.json\",\n  \"identifier\": \"commands\",\n  \
         \"description\": \"Generated by build.rs from src/commands.rs: the main window may call every Debrief \
         command, and nothing else of ours. Do not edit; plugin permissions are in default.json.\",\n  \
         \"windows\": [\n    \"main\"\n  ],\n  \"permissions\": [\n{}\n  ]\n}}\n",
        permissions.join(",\n")
    )
}

fn typescript(commands: &[Command]) -> String {
    const BUILT_IN: &[&str] = &["string", "number", "boolean", "null", "Json"];
    let mut bindings = std::collections::BTreeSet::new();
    for c in commands {
        for ty in c.args.iter().map(|(_, t)| t).chain([&c.result]) {
            for word in ty.split(|ch: char| !ch.is_alphanumeric() && ch != '_') {
                if !word.is_empty() && !BUILT_IN.contains(&word) {
                    bindings.insert(word.to_string());
                }
            }
        }
    }
    let mut ts = String::from(
        "// Generated by src-tauri/build.rs from src-tauri/src/commands.rs: do not edit.\n\
         // One typed wrapper per command; each failure is thrown as an `ErrorPayload`.\n\
         import { call, type Json } from './call';\n",
    );
    for b in &bindings {
        writeln!(ts, "import type {{ {b} }} from '../bindings/{b}';").unwrap();
    }
    ts.push_str("\n/** Every command the core answers, as Tauri names it. */\nexport const COMMANDS = [\n");
    for c in commands {
        writeln!(ts, "  '{}',", c.name).unwrap();
    }
    ts.push_str(
        "] as const;\n\n/** The name of one command. */\nexport type CommandName = (typeof COMMANDS)[number];\n",
    );
    for c in commands {
        ts.push('\n');
        if !c.docs.is_empty() {
            ts.push_str("/**\n");
            for line in &c.docs {
                if line.is_empty() {
                    ts.push_str(" *\n");
                } else {
                    writeln!(ts, " * {line}").unwrap();
                }
            }
            ts.push_str(" */\n");
        }
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{}: {t}", camel(n))).collect();
        let keys: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
        let call_args =
            if keys.is_empty() { format!("'{}'", c.name) } else { format!("'{}', {{ {} }}", c.name, keys.join(", ")) };
        writeln!(
            ts,
            "export const {} = ({}) =>\n  call<{}>({call_args});",
            camel(&c.name),
            params.join(", "),
            c.result
        )
        .unwrap();
    }
    ts
}

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    std::fs::write(path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
