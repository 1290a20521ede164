//! Prices from Microsoft's own Azure Retail Prices API: the queries and pages ([`page`]), which
//! meter is which catalog price ([`meters`]), and the price overlay file that `prices fetch`
//! writes and `--prices` applies to the catalog ([`overlay`]). Pure: the HTTP requests and
//! files are in `app`.

pub mod meters;
pub mod overlay;
pub mod page;
