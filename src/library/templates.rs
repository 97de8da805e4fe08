//! Templates, the taxonomy (services, categories, people, root-cause types) and settings,
//! including who the user is.

use rusqlite::Connection;

use super::Library;
use crate::model::*;
use crate::review::templates;
use crate::store::taxonomy;
use crate::wire::Taxonomy;
use crate::{Error, Result};

impl Library {
    /// All templates, built-in first.
    pub fn templates(&self) -> Result<Vec<Template>> {
        taxonomy::templates(&self.conn)
    }

    /// Creates or replaces a user template. Built-in templates cannot be changed: copy one
    /// under a new name instead.
    pub fn save_template(&mut self, mut template: Template) -> Result<Template> {
        template.name = template.name.trim().to_string();
        template.builtin = false;
        templates::validate(&template)?;
        if templates::builtin().iter().any(|b| b.name.eq_ignore_ascii_case(&template.name)) {
            return Err(Error::invalid(
                "name",
                format!("{:?} is a built-in template; save a copy under another name", template.name),
            ));
        }
        let tx = self.conn.transaction()?;
        taxonomy::upsert_template(&tx, &template)?;
        tx.commit()?;
        Ok(template)
    }

    /// A copy of any template under a new name, stored as a user template.
    pub fn copy_template(&mut self, name: &str, new_name: &str) -> Result<Template> {
        let mut t = self
            .templates()?
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::NotFound { what: "template", id: name.to_string() })?;
        if self.templates()?.iter().any(|t| t.name.eq_ignore_ascii_case(new_name.trim())) {
            return Err(Error::invalid("name", format!("a template called {:?} already exists", new_name.trim())));
        }
        t.name = new_name.to_string();
        self.save_template(t)
    }

    /// Deletes a user template (postmortems started from it keep their sections).
    pub fn delete_template(&mut self, name: &str) -> Result<()> {
        if templates::builtin().iter().any(|b| b.name.eq_ignore_ascii_case(name)) {
            return Err(Error::invalid("name", format!("{name:?} is a built-in template and cannot be deleted")));
        }
        if !taxonomy::delete_user_template(&self.conn, name)? {
            return Err(Error::NotFound { what: "template", id: name.to_string() });
        }
        // Its meeting plan goes with it: a later template of the same name starts afresh.
        crate::store::meetings::delete_plan(&self.conn, name)
    }

    /// Services, categories, people and root-cause types known to the library, retired ones
    /// included and marked (only `root_cause_types` leaves them out, being what is offered).
    pub fn taxonomy(&self) -> Result<Taxonomy> {
        Ok(Taxonomy {
            services: taxonomy::services(&self.conn)?,
            categories: taxonomy::categories(&self.conn)?,
            people: taxonomy::people(&self.conn)?,
            root_cause_types: taxonomy::root_cause_types(&self.conn)?,
            cause_types: taxonomy::cause_types(&self.conn)?,
        })
    }

    /// A setting's JSON value.
    pub fn setting(&self, key: &str) -> Result<Option<serde_json::Value>> {
        taxonomy::setting(&self.conn, key)
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &serde_json::Value) -> Result<()> {
        taxonomy::set_setting(&self.conn, key, value)
    }

    /// Who is using Debrief, for the review history: the `user_name` setting, else the
    /// operating-system user.
    pub fn user_name(&self) -> Result<String> {
        user_name(&self.conn)
    }
}

/// [`Library::user_name`], on a connection (a save asks inside its transaction).
pub(super) fn user_name(conn: &Connection) -> Result<String> {
    if let Some(name) = taxonomy::setting(conn, "user_name")?.and_then(|v| v.as_str().map(str::to_string)) {
        if !name.trim().is_empty() {
            return Ok(name);
        }
    }
    Ok(crate::clock::os_user().unwrap_or_else(|| "unknown".into()))
}
