//! SVG icons from Lucide (the `icondata_lu` set), rendered on the server into the page, so they
//! show on every platform (an emoji needs an emoji font) and take the text colour.
//!
//! An icon is decoration: it is hidden from assistive technology, and whatever it stands for is
//! said in text beside it (visible, or `visually-hidden`).

use icondata_core::Icon as IconData;
use leptos::prelude::*;
use leptos::svg;

pub use icondata_lu as lu;

#[component]
pub fn Icon(
    icon: IconData,
    /// Extra classes beside `icon` (sizes: `icon-lg`).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    // Lucide's paths are fixed markup: inserted as they are, like a static file.
    svg::svg()
        .attr(
            "class",
            if class.is_empty() {
                "icon".to_string()
            } else {
                format!("icon {class}")
            },
        )
        .attr("viewBox", icon.view_box)
        .attr("fill", icon.fill.unwrap_or("none"))
        .attr("stroke", icon.stroke)
        .attr("stroke-width", icon.stroke_width)
        .attr("stroke-linecap", icon.stroke_linecap)
        .attr("stroke-linejoin", icon.stroke_linejoin)
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(svg::InertElement::new(format!("<g>{}</g>", icon.data)))
        // Erased: an icon's nine attributes in every view's type made the shell's type too deep.
        .into_any()
}
