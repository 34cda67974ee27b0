//! Tests of campaign mode.
