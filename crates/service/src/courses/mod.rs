//! The catalog: courses, modules and lessons (authoring and the public catalog), reviews and
//! learning paths.
