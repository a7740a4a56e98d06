//! A profile file checked against the generated metadata and the seeder's vocabulary before
//! use: every table, column, reference key, remap target, default and fixed value must exist
//! and fit its column (type, CHECK list, range). Every error names the profile file and line.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use generated::{ColumnMeta, TABLES, TableMeta};

use super::model::{ProfileFile, Spellings, UnwrapRule, place};
use super::path::{PathPattern, PatternStep};
use super::value::fit;
use super::{
    FieldRule, Inherit, Location, OrgRule, Policy, Profile, ProfileError, RowsProfile, Spelling,
    TableProfile, Target, Unwrap,
};
use crate::plan::nests_under;
use crate::problem::did_you_mean;
use crate::source::Node;
use crate::vocabulary::{Vocabulary, vocabulary};

struct Checker<'a> {
    file: &'a Path,
    node: &'a Node,
    v: &'static Vocabulary,
    errors: Vec<ProfileError>,
}

impl Checker<'_> {
    fn error(&mut self, path: &[&str], key: bool, message: String) {
        self.errors.push(ProfileError {
            file: self.file.to_path_buf(),
            pos: Some(place(self.node, path, key)),
            message,
        });
    }

    fn policy(&mut self, name: &str, text: Option<&str>) -> Policy {
        match text {
            None | Some("error") => Policy::Error,
            Some(t) => match t.strip_prefix("metadata.") {
                Some(key) if !key.is_empty() => Policy::Metadata(key.to_string()),
                _ => {
                    self.error(
                        &[name],
                        false,
                        format!("{name}: '{t}' is neither 'error' nor 'metadata.KEY' (a key of personas.metadata)"),
                    );
                    Policy::Error
                }
            },
        }
    }

    /// A column a document may give: exists, insertable, not filled by the loader.
    fn column(
        &mut self,
        table: &'static TableMeta,
        name: &str,
        path: &[&str],
        key: bool,
    ) -> Option<&'static ColumnMeta> {
        match table.column(name) {
            Some(c) if c.insertable && !self.v.is_loader_column(table, name) => Some(c),
            Some(_) => {
                self.error(
                    path,
                    key,
                    format!("{}.{name} is filled by the seeder or the database; a profile cannot target it", table.name),
                );
                None
            }
            None => {
                let known = self.v.known_keys(table);
                let hint = did_you_mean(name, known.iter().map(String::as_str));
                self.error(
                    path,
                    key,
                    format!("{} has no column '{name}'{hint}", table.name),
                );
                None
            }
        }
    }

    /// `value` must fit `column` as a stored value (after the profile's own conversion).
    fn value(
        &mut self,
        table: &'static TableMeta,
        column: &ColumnMeta,
        value: &serde_json::Value,
        what: &str,
        path: &[&str],
    ) -> bool {
        match fit(table, column, value) {
            Ok(_) => true,
            Err(m) => {
                let allowed = m
                    .allowed
                    .filter(|_| !m.message.contains("allowed "))
                    .map(|a| format!("; allowed {a}"))
                    .unwrap_or_default();
                self.error(
                    path,
                    false,
                    format!(
                        "{what} {value} for {}.{}: {}{allowed}",
                        table.name, column.name, m.message
                    ),
                );
                false
            }
        }
    }

    fn spellings(&mut self, s: &Spellings, path: &[&str]) -> Vec<Spelling> {
        let list = s.list();
        let mut out = vec![];
        for (i, text) in list.iter().enumerate() {
            let index = i.to_string();
            let mut p = path.to_vec();
            if matches!(s, Spellings::Many(_)) {
                p.push(&index);
            }
            if text.trim().is_empty() || text.split('.').any(str::is_empty) {
                self.error(
                    &p,
                    false,
                    format!("'{text}' is not a source key (KEY or GROUP.KEY)"),
                );
                continue;
            }
            out.push(Spelling::parse(text));
        }
        out
    }

    /// A target of `fields:` (or of a rows rule's `columns:`) in `table`.
    fn target(&mut self, table: &'static TableMeta, target: &str, path: &[&str]) -> Option<Target> {
        if target == "org" {
            if table.name != crate::columns::PERSONAS {
                self.error(
                    path,
                    true,
                    "only persona fields can be org sources (org:)".into(),
                );
                return None;
            }
            return Some(Target::Org);
        }
        if let Some(key) = target.strip_prefix("metadata.") {
            if key.is_empty() {
                self.error(path, true, "metadata.KEY needs a key".into());
                return None;
            }
            return Some(Target::Metadata(key.to_string()));
        }
        if let Some(col) = table
            .column(target)
            .filter(|col| col.insertable && !self.v.is_loader_column(table, col.name))
        {
            return Some(Target::Column(col));
        }
        if let Some(r) = self.v.reference(table.name, target) {
            return Some(Target::Reference(r));
        }
        self.column(table, target, path, true);
        None
    }

    fn unwrap(&mut self, rule: &UnwrapRule, path: &[&str]) -> Unwrap {
        if rule.rows.trim().is_empty() {
            self.error(
                path,
                false,
                "unwrap: name the key holding the rows (rows: KEY)".into(),
            );
        }
        for (key, reason) in &rule.drop {
            if reason.trim().is_empty() {
                let p = [path, &["drop", key.as_str()]].concat();
                self.error(
                    &p,
                    false,
                    format!("drop '{key}': give the reason it is left out"),
                );
            }
        }
        Unwrap {
            rows: rule.rows.clone(),
            drop: rule.drop.clone(),
        }
    }

    /// `path: PATTERN` with its `inherit:` fields, each from an object the pattern passes.
    fn location_path(
        &mut self,
        text: &str,
        inherit: &std::collections::BTreeMap<String, String>,
        at: &[&str],
    ) -> Option<Location> {
        let where_ = [at, &["path"]].concat();
        let pattern = match PathPattern::parse(text) {
            Ok(p) => p,
            Err(e) => {
                self.error(&where_, false, format!("path: {e}; a path is keys joined by '.', with * for any key, [*] for any item, [N] for one"));
                return None;
            }
        };
        if pattern.first_key().is_none() {
            self.error(
                &where_,
                false,
                format!("path '{text}' must start with a top-level key of the document"),
            );
            return None;
        }
        let mut fields = vec![];
        for (key, from) in inherit {
            let p = [at, &["inherit", key.as_str()]].concat();
            let source = match PathPattern::parse(from) {
                Ok(s) => s,
                Err(e) => {
                    self.error(&p, false, format!("inherit: {e}"));
                    continue;
                }
            };
            let (last, enclosing) = source.steps.split_last().expect("a parsed path has a step");
            let field = match last {
                PatternStep::Key(k) => k.clone(),
                _ => {
                    self.error(
                        &p,
                        false,
                        format!("inherit '{from}' must end with the key of the field"),
                    );
                    continue;
                }
            };
            if enclosing.len() >= pattern.steps.len() || !pattern.starts_with(enclosing) {
                self.error(&p, false, format!("inherit '{from}': the field must belong to an object enclosing the personas at '{text}' (a leading part of it, then the field's key)"));
                continue;
            }
            if matches!(pattern.steps.get(enclosing.len()), Some(PatternStep::Key(k)) if *k == field)
            {
                self.error(
                    &p,
                    false,
                    format!("inherit '{from}': '{field}' is the way to the personas, not a field"),
                );
                continue;
            }
            fields.push(Inherit {
                key: key.clone(),
                depth: enclosing.len(),
                field,
                text: from.clone(),
            });
        }
        Some(Location::Path {
            pattern,
            inherit: fields,
        })
    }

    fn table(&mut self, name: &str, path: &[&str]) -> Option<&'static TableMeta> {
        match generated::table(name) {
            Some(t) => Some(t),
            None => {
                let hint = did_you_mean(name, TABLES.iter().map(|t| t.name));
                self.error(path, true, format!("no table '{name}' in the schema{hint}"));
                None
            }
        }
    }
}

/// Checks `model` (read from `node`, the file's tree) and resolves it.
pub fn check(file: &Path, node: &Node, model: &ProfileFile) -> Result<Profile, Vec<ProfileError>> {
    let mut c = Checker {
        file,
        node,
        v: vocabulary(),
        errors: vec![],
    };
    if model.profile.trim().is_empty() {
        c.error(&["profile"], false, "the profile needs a name".into());
    }

    // Where personas are.
    let mut locations = vec![];
    if model.personas.is_empty() {
        c.error(&[crate::columns::PERSONAS], false, "name at least one place personas are (list: KEY, map_values: KEY, document: list|persona)".into());
    }
    for (i, loc) in model.personas.iter().enumerate() {
        let index = i.to_string();
        let path = [crate::columns::PERSONAS, index.as_str()];
        let given = [&loc.list, &loc.map_values, &loc.document, &loc.path]
            .iter()
            .filter(|o| o.is_some())
            .count();
        if given != 1 {
            c.error(
                &path,
                false,
                "give exactly one of list: KEY, map_values: KEY, document: list|persona, path: PATTERN".into(),
            );
            continue;
        }
        if !loc.inherit.is_empty() && loc.path.is_none() {
            c.error(
                &[&path[..], &["inherit"]].concat(),
                true,
                "inherit: takes fields from objects enclosing the personas; it needs path: PATTERN"
                    .into(),
            );
        }
        let location = match (
            &loc.list,
            &loc.map_values,
            loc.document.as_deref(),
            &loc.path,
        ) {
            (Some(k), _, _, _) => Location::List(k.clone()),
            (_, Some(k), _, _) => Location::MapValues(k.clone()),
            (_, _, Some("list"), _) => Location::DocumentList,
            (_, _, Some("persona"), _) => Location::DocumentPersona,
            (_, _, Some(other), _) => {
                c.error(
                    &path,
                    false,
                    format!("document: '{other}' is neither 'list' nor 'persona'"),
                );
                continue;
            }
            (_, _, _, Some(text)) => match c.location_path(text, &loc.inherit, &path) {
                Some(l) => l,
                None => continue,
            },
            _ => continue,
        };
        locations.push(location);
    }
    let location_keys: Vec<&str> = locations
        .iter()
        .filter_map(|l| match l {
            Location::List(k) | Location::MapValues(k) => Some(k.as_str()),
            Location::Path { pattern, .. } => pattern.first_key(),
            _ => None,
        })
        .collect();
    for (i, key) in model.passthrough.iter().enumerate() {
        let index = i.to_string();
        if c.v.root(key).is_none() {
            let roots: Vec<&str> = c.v.roots.iter().map(|r| r.key.as_str()).collect();
            c.error(
                &["passthrough", &index],
                false,
                format!("'{key}' is not a canonical section ({})", roots.join(", ")),
            );
        } else if location_keys.contains(&key.as_str()) {
            c.error(
                &["passthrough", &index],
                false,
                format!("'{key}' is also a place of personas"),
            );
        }
    }
    for key in model.ignore.keys() {
        if location_keys.contains(&key.as_str()) || model.passthrough.contains(key) {
            c.error(
                &["ignore", key],
                true,
                format!("'{key}' is also a place of personas or a canonical section"),
            );
        }
    }
    let mut drop = vec![];
    for (text, reason) in &model.drop {
        match PathPattern::parse(text) {
            Ok(p) if !reason.trim().is_empty() => drop.push((p, reason.clone())),
            Ok(_) => c.error(&["drop", text], false, format!("drop '{text}': give the reason it is left out")),
            Err(e) => c.error(&["drop", text], true, format!("drop: {e}; a path is keys joined by '.', with * for any key, [*] for any item, [N] for one")),
        }
    }
    let unwrap = model.unwrap.as_ref().map(|u| c.unwrap(u, &["unwrap"]));
    for (i, g) in model.applies_to.iter().enumerate() {
        if g.trim().is_empty() {
            c.error(
                &["applies_to", &i.to_string()],
                false,
                "applies_to: an empty glob".into(),
            );
        }
    }
    let allow_unused_rules = match model.unused_rules.as_deref() {
        None | Some("error") => false,
        Some("report") => true,
        Some(other) => {
            c.error(
                &["unused_rules"],
                false,
                format!("unused_rules: '{other}' is neither 'error' nor 'report'"),
            );
            false
        }
    };
    let unmapped = c.policy("unmapped", model.unmapped.as_deref());
    let invalid_values = c.policy("invalid_values", model.invalid_values.as_deref());

    // Rules per table.
    let persona_roots = [crate::columns::PERSONAS].into_iter().collect();
    let mut tables = BTreeMap::new();
    let mut section_owner: HashMap<(&'static str, String), &'static str> = HashMap::new();
    for (name, rules) in &model.tables {
        let Some(table) = c.table(name, &["tables", name]) else {
            continue;
        };
        let is_org =
            c.v.root_of_table(table.name).is_some() && table.name != crate::columns::PERSONAS;
        if !(table.name == crate::columns::PERSONAS || nests_under(table, &persona_roots) || is_org)
        {
            c.error(&["tables", name], true, format!("{name} is not a table persona documents write (personas, the tables below it, org tables)"));
            continue;
        }
        let mut tp = TableProfile {
            groups: rules.groups.clone(),
            one_row: rules.one_row,
            unwrap: rules
                .unwrap
                .as_ref()
                .map(|u| c.unwrap(u, &["tables", name, "unwrap"])),
            ..TableProfile::default()
        };
        if (rules.one_row || rules.unwrap.is_some()) && table.parent.is_none() {
            c.error(
                &["tables", name],
                true,
                format!("{name} is not nested in another table: one_row and unwrap describe sections of child rows"),
            );
        }
        for (text, reason) in &rules.drop {
            let path = ["tables", name.as_str(), "drop", text.as_str()];
            if reason.trim().is_empty() {
                c.error(
                    &path,
                    false,
                    format!("drop '{text}': give the reason it is left out"),
                );
            }
            for s in c.spellings(&Spellings::One(text.clone()), &path) {
                tp.drop.push((s, reason.clone()));
            }
        }
        for (i, alias) in rules.sections.iter().enumerate() {
            let index = i.to_string();
            let path = ["tables", name.as_str(), "sections", index.as_str()];
            let Some(parent) = table.parent.as_ref() else {
                c.error(
                    &path,
                    false,
                    format!("{name} is not nested in another table; it has no section name"),
                );
                continue;
            };
            if let Some(other) = section_owner.insert((parent.table, alias.clone()), table.name) {
                c.error(
                    &path,
                    false,
                    format!(
                        "section '{alias}' already names {other} in {}",
                        parent.table
                    ),
                );
                continue;
            }
            if let Some(s) =
                c.v.child_section(parent.table, alias)
                    .filter(|s| s.table.name != table.name)
            {
                c.error(
                    &path,
                    false,
                    format!(
                        "'{alias}' is the canonical section of {} in {}",
                        s.table.name, parent.table
                    ),
                );
                continue;
            }
            tp.sections.push(alias.clone());
        }
        for (i, g) in rules.groups.iter().enumerate() {
            if g.trim().is_empty() {
                c.error(
                    &["tables", name, "groups", &i.to_string()],
                    false,
                    "an empty group name".into(),
                );
            }
        }
        // One source may feed several targets; a target is given once per spelling.
        let mut seen: HashMap<String, String> = HashMap::new();
        for (target, spellings) in &rules.fields {
            let path = ["tables", name.as_str(), "fields", target.as_str()];
            let resolved = c.target(table, target, &path);
            let mut own: Vec<String> = vec![];
            let many = matches!(spellings, Spellings::Many(_));
            for (k, spelling) in c.spellings(spellings, &path).into_iter().enumerate() {
                let mut at: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                if many {
                    at.push(k.to_string());
                }
                if own.contains(&spelling.to_string()) {
                    c.error(
                        &path,
                        false,
                        format!("'{spelling}' is named twice for {target}"),
                    );
                    continue;
                }
                own.push(spelling.to_string());
                seen.entry(spelling.to_string())
                    .or_insert_with(|| target.clone());
                if let Some(t) = &resolved {
                    tp.fields.push(FieldRule {
                        spelling,
                        target: t.clone(),
                        at,
                    });
                }
            }
        }
        for (i, rule) in rules.rows.iter().enumerate() {
            let index = i.to_string();
            let path = ["tables", name.as_str(), "rows", index.as_str()];
            let from = c.spellings(&rule.from, &[&path[..], &["from"]].concat());
            for s in &from {
                if let Some(first) = seen.insert(s.to_string(), format!("rows of {}", rule.table)) {
                    c.error(
                        &path,
                        false,
                        format!("'{s}' already goes to {first} in {name}"),
                    );
                }
            }
            let Some(rows_table) = c.table(&rule.table, &[&path[..], &["table"]].concat()) else {
                continue;
            };
            if rows_table.parent.as_ref().map(|p| p.table) != Some(table.name) {
                c.error(
                    &[&path[..], &["table"]].concat(),
                    false,
                    format!("{} is not nested in {name}", rows_table.name),
                );
                continue;
            }
            let column = c.column(
                rows_table,
                &rule.column,
                &[&path[..], &["column"]].concat(),
                false,
            );
            let key_column = match &rule.key_column {
                Some(k) => c.column(rows_table, k, &[&path[..], &["key_column"]].concat(), false),
                None => {
                    if !rule.keys.is_empty() {
                        c.error(
                            &[&path[..], &["keys"]].concat(),
                            true,
                            "keys: renames map keys for key_column; name key_column too".into(),
                        );
                    }
                    None
                }
            };
            if let Some(kc) = key_column {
                for (from_key, to) in &rule.keys {
                    c.value(
                        rows_table,
                        kc,
                        &serde_json::Value::String(to.clone()),
                        "key",
                        &[&path[..], &["keys", from_key.as_str()]].concat(),
                    );
                }
            }
            let mut set = vec![];
            for (col, value) in &rule.set {
                let p = [&path[..], &["set", col.as_str()]].concat();
                if let Some(column) = c.column(rows_table, col, &p, true)
                    && c.value(rows_table, column, value, "fixed value", &p)
                {
                    set.push((
                        column,
                        fit(rows_table, column, value)
                            .map(|f| f.value)
                            .unwrap_or_default(),
                    ));
                }
            }
            let mut to_parent = vec![];
            for (key, target) in &rule.columns {
                let p = [&path[..], &["columns", key.as_str()]].concat();
                if key_column.is_none() {
                    c.error(&p, true, "columns: sends some keys of a map to the parent row; it needs key_column (the rest become rows)".into());
                    continue;
                }
                if let Some(t) = c.target(table, target, &p) {
                    to_parent.push((key.clone(), t));
                }
            }
            if let Some(column) = column {
                tp.rows.push(RowsProfile {
                    at: path.iter().map(|s| s.to_string()).collect(),
                    columns: to_parent,
                    from,
                    table: rows_table,
                    column,
                    key_column,
                    keys: rule.keys.clone(),
                    set,
                });
            }
        }
        for (col, map) in &rules.remap {
            let path = ["tables", name.as_str(), "remap", col.as_str()];
            let Some(column) = c.column(table, col, &path, true) else {
                continue;
            };
            let mut ok = BTreeMap::new();
            for (from, to) in map {
                let p = [&path[..], &[from.as_str()]].concat();
                if c.value(table, column, to, &format!("remap target of '{from}':"), &p) {
                    ok.insert(from.clone(), to.clone());
                }
            }
            tp.remap.insert(column.name, ok);
        }
        for (col, value) in &rules.defaults {
            let path = ["tables", name.as_str(), "defaults", col.as_str()];
            if let Some(column) = c.column(table, col, &path, true)
                && c.value(table, column, value, "default", &path)
            {
                let stored = fit(table, column, value)
                    .map(|f| f.value)
                    .unwrap_or_default();
                tp.defaults.push((column, stored));
            }
        }
        for (col, steps) in &rules.transform {
            let path = ["tables", name.as_str(), "transform", col.as_str()];
            let Some(column) = c.column(table, col, &path, true) else {
                continue;
            };
            let mut t = super::transform::Transform::default();
            for (i, step) in steps.iter().enumerate() {
                let index = i.to_string();
                match super::transform::read_step(step) {
                    Ok(s) => t.steps.push(s),
                    Err(e) => c.error(
                        &[&path[..], &[index.as_str()]].concat(),
                        false,
                        format!("transform of {}.{col}: {e}", table.name),
                    ),
                }
            }
            if t.steps.len() != steps.len() {
                continue;
            }
            let problems = t.check(column);
            for problem in &problems {
                c.error(
                    &path,
                    true,
                    format!("transform of {}.{col} ({t}): {problem}", table.name),
                );
            }
            if problems.is_empty() {
                tp.transforms.insert(column.name, t);
            }
        }
        for (col, sep) in &rules.split {
            let path = ["tables", name.as_str(), "split", col.as_str()];
            if let Some(column) = c.column(table, col, &path, true) {
                if !super::value::is_array(column) {
                    c.error(
                        &path,
                        true,
                        format!(
                            "{}.{col} is {}, not a list; split makes lists",
                            table.name, column.sql_type
                        ),
                    );
                } else if sep.is_empty() {
                    c.error(&path, false, "an empty separator".into());
                } else {
                    tp.split.insert(column.name, sep.clone());
                }
            }
        }
        tables.insert(table.name, tp);
    }

    // Org rows derived from persona fields.
    let mut org = vec![];
    for (name, columns) in &model.org {
        let Some(table) = c.table(name, &["org", name]) else {
            continue;
        };
        let Some(root) =
            c.v.root_of_table(table.name)
                .filter(|r| r.table.name != crate::columns::PERSONAS)
        else {
            c.error(&["org", name], true, format!("{name} is not an org table (a table documents name by slug, other than personas)"));
            continue;
        };
        if !columns.contains_key(crate::columns::SLUG) {
            c.error(
                &["org", name],
                true,
                format!("{name}: give the persona field its slug comes from (slug: ...)"),
            );
            continue;
        }
        let mut values = vec![];
        for (key, spelling) in columns {
            let path = ["org", name.as_str(), key.as_str()];
            let ok = c.v.reference(table.name, key).is_some()
                || c.column(table, key, &path, true).is_some();
            let spellings = c.spellings(&Spellings::One(spelling.clone()), &path);
            if ok {
                values.extend(spellings.into_iter().map(|s| (key.clone(), s)));
            }
        }
        org.push(OrgRule {
            table,
            section: root.key.clone(),
            values,
        });
    }

    // Fields declared `org` must be named by an org rule.
    let sources: Vec<&Spelling> = org
        .iter()
        .flat_map(|o| o.values.iter().map(|(_, s)| s))
        .collect();
    if let Some(rules) = model.tables.get(crate::columns::PERSONAS)
        && let Some(spellings) = rules.fields.get("org")
    {
        for (i, s) in spellings.list().iter().enumerate() {
            if !sources.iter().any(|x| x.to_string() == *s) {
                let index = i.to_string();
                let mut path = vec!["tables", crate::columns::PERSONAS, "fields", "org"];
                if matches!(spellings, Spellings::Many(_)) {
                    path.push(&index);
                }
                c.error(
                    &path,
                    false,
                    format!("'{s}' is declared an org source but no rule under org: names it"),
                );
            }
        }
    }

    if !c.errors.is_empty() {
        let mut errors = c.errors;
        errors.sort_by_key(|e| e.pos);
        errors.dedup();
        return Err(errors);
    }
    Ok(Profile {
        source: node.clone(),
        allow_unused_rules,
        applies_to: model.applies_to.clone(),
        routes: vec![],
        fallback: None,
        file: file.to_path_buf(),
        name: model.profile.clone(),
        description: model.description.clone(),
        locations,
        passthrough: model.passthrough.clone(),
        ignore: model.ignore.clone(),
        drop,
        unwrap,
        unmapped,
        invalid_values,
        tables,
        org,
    })
}
