<?php
/**
 * Removes what the plugin kept: its option and its copies of Parley's answers (transients).
 *
 * @package Parley_Comments
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Deletes the option and every parley_comments_ transient of the current site.
 */
function parley_comments_uninstall_site() {
	global $wpdb;
	delete_option( 'parley_comments_settings' );
	// Transients have no listing API: their names share a prefix in the options table.
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching
	$wpdb->query(
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_parley_comments_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_parley_comments_' ) . '%'
		)
	);
	wp_cache_flush();
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $parley_comments_site ) {
		switch_to_blog( $parley_comments_site );
		parley_comments_uninstall_site();
		restore_current_blog();
	}
} else {
	parley_comments_uninstall_site();
}
