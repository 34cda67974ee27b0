//! Content through Bevy's asset system: every `.ron` under the content folder is an asset,
//! parsed by the domain's one parse path, and the library is rebuilt on each change (hot
//! reload). A file that stops parsing keeps its last good scenario playable.

use std::path::{Path, PathBuf};

use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext, RecursiveDependencyLoadState};
use bevy::prelude::*;

use crate::domain::analysis::AnalysisCache;
use crate::domain::content::ContentSet;
use crate::domain::content::files::find_content_files;
use crate::domain::content::parse::{Document, parse_document};
use crate::domain::content::source::decode;
use crate::domain::diagnostics::Diagnostic;
use crate::domain::library::Library;
use crate::game::state::{AppSystems, Screen};

/// The asset source name of the content folder: `dialogues://scenarios/x.ron`.
pub const SOURCE: &str = "dialogues";

/// Seconds between scans of the content folder for new or deleted files.
const RESCAN_SECONDS: f64 = 3.0;

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<ContentFile>();
    app.register_asset_loader(ContentFileLoader);
    app.init_resource::<ContentLibrary>();
    app.init_resource::<ContentFiles>();
    app.add_systems(Startup, scan_content_folder);
    app.add_systems(
        Update,
        (scan_content_folder.run_if(rescan_due), rebuild_library)
            .chain()
            .in_set(AppSystems::Act),
    );
}

/// One content file: its text and what the domain parser made of it.
#[derive(Asset, TypePath, Debug)]
pub struct ContentFile {
    /// The path shown in diagnostics, e.g. `dialogues/scenarios/x.ron`.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The parsed document, or the located problem.
    pub parsed: Result<Document, Box<Diagnostic>>,
}

/// Reads a `.ron` content file with [`parse_document`]; a file that does not parse still loads,
/// carrying its diagnostic, so the game can show it instead of failing.
#[derive(Default, TypePath)]
pub struct ContentFileLoader;

impl AssetLoader for ContentFileLoader {
    type Asset = ContentFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        load_context: &mut LoadContext<'_>,
    ) -> Result<ContentFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let path = PathBuf::from(SOURCE).join(load_context.path().path());
        // The same decoding (and the same diagnostic for bytes that are not UTF-8) as the
        // command line's.
        let (text, parsed) = match decode(&path, bytes) {
            Ok(text) => {
                let parsed = parse_document(&path, &text);
                (text, parsed)
            }
            Err((d, lossy)) => (lossy, Err(d)),
        };
        Ok(ContentFile { path, text, parsed })
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// The validated content, rebuilt whenever a file changes.
#[derive(Resource, Default)]
pub struct ContentLibrary {
    /// The domain library: playable scenarios and every diagnostic.
    pub library: Library,
    /// Bumped on every rebuild, so screens can tell the content changed.
    pub generation: u64,
    /// True once every file has been read at least once.
    pub ready: bool,
}

/// The content folder on disk (the `dialogues://` source).
#[derive(Resource, Debug, Clone)]
pub struct ContentDir(pub PathBuf);

/// Handles of the `.ron` files found in the content folder, kept so they stay loaded and
/// watched.
///
/// The folder holds other files too (its README), so it is scanned for `.ron` files rather
/// than loaded as a whole. Saving a known file reloads it at once; a new or deleted file is
/// noticed at the next scan (every few seconds while the game is awake, and on every screen
/// change).
#[derive(Resource, Debug, Default)]
pub struct ContentFiles {
    /// Relative path and handle of each file.
    pub handles: Vec<(PathBuf, Handle<ContentFile>)>,
    /// What the folder walk skipped or refused (a link loop, a named pipe, a `.RON` name),
    /// shown with the content's other problems.
    pub problems: Vec<Diagnostic>,
    /// Bumped when files are added or removed.
    pub generation: u64,
}

fn rescan_due(
    time: Res<Time<Real>>,
    screen: Option<Res<State<Screen>>>,
    mut last: Local<f64>,
) -> bool {
    let now = time.elapsed_secs_f64();
    let screen_changed = screen.is_some_and(|s| s.is_changed());
    if screen_changed || now - *last > RESCAN_SECONDS {
        *last = now;
        return true;
    }
    false
}

fn scan_content_folder(
    dir: Option<Res<ContentDir>>,
    assets: Res<AssetServer>,
    mut files: ResMut<ContentFiles>,
) {
    let Some(dir) = dir else {
        return;
    };
    // The domain's walker, as `lint` uses it: links into a folder already read are skipped,
    // named pipes, devices and oversized files are refused before anything opens them.
    let walk = find_content_files(std::slice::from_ref(&dir.0));
    let mut found: Vec<PathBuf> = walk
        .files
        .iter()
        .filter_map(|p| p.strip_prefix(&dir.0).ok().map(Path::to_path_buf))
        .collect();
    found.sort();
    let unchanged = found.len() == files.handles.len()
        && found.iter().zip(&files.handles).all(|(a, (b, _))| a == b)
        && walk.problems == files.problems;
    if unchanged {
        return;
    }
    let mut handles = Vec::with_capacity(found.len());
    for rel in found {
        let handle = match files.handles.iter().find(|(p, _)| *p == rel) {
            Some((_, h)) => h.clone(),
            None => {
                let path = rel.to_string_lossy().replace('\\', "/");
                assets.load(format!("{SOURCE}://{path}"))
            }
        };
        handles.push((rel, handle));
    }
    files.handles = handles;
    files.problems = walk.problems;
    files.generation += 1;
}

fn rebuild_library(
    assets: Res<AssetServer>,
    mut file_events: MessageReader<AssetEvent<ContentFile>>,
    list: Res<ContentFiles>,
    files: Res<Assets<ContentFile>>,
    mut content: ResMut<ContentLibrary>,
    mut built_for: Local<Option<u64>>,
) {
    // Only real changes count; "loaded with dependencies" and "unused" follow every load.
    let file_changed = file_events
        .read()
        .filter(|e| {
            matches!(
                e,
                AssetEvent::Added { .. } | AssetEvent::Modified { .. } | AssetEvent::Removed { .. }
            )
        })
        .count()
        > 0;
    let list_changed = *built_for != Some(list.generation);
    if !file_changed && !list_changed {
        return;
    }
    // Wait for every file (read, or failed to read), so no screen shows half the content.
    let settled = list.handles.iter().all(|(_, h)| {
        files.contains(h)
            || matches!(
                assets.recursive_dependency_load_state(h),
                RecursiveDependencyLoadState::Failed(_)
            )
    });
    if !settled {
        return;
    }
    *built_for = Some(list.generation);
    let mut docs: Vec<&ContentFile> = list
        .handles
        .iter()
        .filter_map(|(_, h)| files.get(h))
        .collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut set = ContentSet {
        diagnostics: list.problems.clone(),
        ..ContentSet::default()
    };
    for f in docs {
        set.add_parsed(f.path.clone(), f.text.clone(), f.parsed.clone());
    }
    let previous = std::mem::take(&mut content.library);
    // Analyses of unchanged scenarios come from the on-disk cache the command line shares.
    content.library = Library::build_with(set, Some(&previous), &AnalysisCache::from_env());
    content.generation += 1;
    content.ready = true;
    let (errors, warnings) = content.library.tally();
    info!(
        "content: {} playable scenario(s), {errors} error(s), {warnings} warning(s)",
        content.library.scenarios.len()
    );
}
