//! No import cycles among the modules of the seeder or of the documents crate: stages never
//! import their orchestrator (shared types live in leaf modules such as `documents::job` and
//! `seeder::session`). A module's dependencies are the `crate::<module>` paths in its code
//! (comments excluded); a module is a file under `src/` or a folder with its files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Module name -> the modules its code names through `crate::`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![];
    collect(src, &mut files);
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // `use crate::{a, b}` names several.
                if name.is_empty() && rest.starts_with('{') {
                    let inner = rest[1..].split('}').next().unwrap_or_default();
                    for part in inner.split(',') {
                        let part = part
                            .trim()
                            .split("::")
                            .next()
                            .unwrap_or_default()
                            .to_string();
                        if !part.is_empty() && part != module {
                            deps.insert(part);
                        }
                    }
                } else if !name.is_empty() && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A cycle of `graph` as `a -> b -> a`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<&str> = path[start..].to_vec();
            cycle.push(node);
            return Some(cycle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if graph.contains_key(next)
                && let Some(cycle) = visit(next, graph, path, done)
            {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut vec![], &mut done))
}

#[test]
fn the_seeder_and_documents_modules_import_without_a_cycle() {
    for crate_dir in ["seeder/src", "seeder-cli/src", "documents/src"] {
        let graph = module_graph(&workspace().join(crate_dir));
        let edges: usize = graph.values().map(BTreeSet::len).sum();
        println!(
            "{crate_dir}: {} modules, {edges} imports, no cycle",
            graph.len()
        );
        assert!(
            find_cycle(&graph).is_none(),
            "{crate_dir}: import cycle {}; move what both need into a leaf module",
            find_cycle(&graph).unwrap()
        );
    }
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("run", vec!["stream"]),
        ("stream", vec!["deploy"]),
        ("deploy", vec!["run"]),
        ("job", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph).as_deref(),
        Some("deploy -> run -> stream -> deploy")
    );
}
