//! ASL paths as pure functions over JSON: JSONPath queries (`$…` on the input,
//! `$$…` on the context object), reference paths, payload templates and ResultPath.
//! Parsing happens once, at definition time; nothing here knows about states or tasks.

mod query;
mod reference;
mod segments;
mod template;

pub use query::Path;
pub use reference::ReferencePath;
pub use template::Template;
