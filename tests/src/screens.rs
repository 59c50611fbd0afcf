//! What the screenshot examples (`tests/examples/*_screens.rs`) share: the command line
//! (`DIR WIDTH HEIGHT`), sizing the app window to the Xvfb screen and capturing the whole screen
//! as a person sees it. Pictures are looked at, not asserted on, so a short pause lets
//! transitions and the focus ring settle before each capture.
//!
//! Needs `xdotool` (WebDriver's window commands wait for a window manager that Xvfb does not
//! have) and ImageMagick's `import`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::App;

/// How long a screen gets to settle before it is captured.
const SETTLE: Duration = Duration::from_millis(600);

/// Where and at which screen size the screenshots of one run go.
pub struct Screens {
    /// Folder of the PNG files.
    pub dir: PathBuf,
    /// Screen width in pixels.
    pub width: u32,
    /// Screen height in pixels.
    pub height: u32,
}

impl Screens {
    /// Reads `DIR WIDTH HEIGHT` from the command line (defaults: `docs/screens`, 1366, 768) and
    /// creates the folder.
    pub fn from_args() -> Screens {
        let mut args = std::env::args().skip(1);
        let dir = PathBuf::from(args.next().unwrap_or_else(|| "docs/screens".into()));
        let width = args.next().map_or(1366, |w| w.parse().expect("width"));
        let height = args.next().map_or(768, |h| h.parse().expect("height"));
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        Screens { dir, width, height }
    }

    /// The size as used in file names, e.g. "1366x768".
    pub fn size(&self) -> String {
        format!("{}x{}", self.width, self.height)
    }

    /// Moves the app window to the top left corner and sizes it to the screen.
    pub fn fit_window(&self) {
        let status = Command::new("xdotool")
            .args(["search", "--name", "Tagungsbüro", "windowmove", "0", "0"])
            .arg("windowsize")
            .args([self.width.to_string(), self.height.to_string()])
            .status()
            .expect("xdotool");
        assert!(status.success(), "xdotool could not size the window");
    }

    /// Captures the whole screen as `DIR/{name}.png` and prints the path.
    pub async fn shot(&self, name: &str) {
        tokio::time::sleep(SETTLE).await;
        let path = self.dir.join(format!("{name}.png"));
        let status = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status()
            .expect("ImageMagick's import");
        assert!(status.success(), "import -window root failed");
        println!("{}", path.display());
    }
}

/// Scrolls the element with this `data-testid` into view, once it is shown.
pub async fn scroll_to(app: &App, testid: &str) {
    app.wait_for(testid).await;
    app.client
        .execute(
            &format!("document.querySelector('[data-testid={testid}]').scrollIntoView()"),
            vec![],
        )
        .await
        .expect("scroll");
}
