<?php
/**
 * Plugin Name:       Parley Comments
 * Description:       Shows the comments Parley keeps in place of WordPress's own: the thread rendered on the server (no JavaScript needed), the theme's own comment form posted to Parley, and Parley's widget on top.
 * Version:           1.0.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Author:            Parley
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       parley-comments
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

define( 'PARLEY_COMMENTS_VERSION', '1.0.0' );
define( 'PARLEY_COMMENTS_DIR', plugin_dir_path( __FILE__ ) );

require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-settings.php';
require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-client.php';
require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-thread.php';
require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-identity.php';
require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-form.php';
require_once PARLEY_COMMENTS_DIR . 'includes/class-parley-comments-counts.php';

Parley_Comments_Settings::init();

// Nothing changes on the site until Parley's address is set.
if ( '' !== Parley_Comments_Settings::get( 'url' ) ) {
	Parley_Comments_Thread::init();
	Parley_Comments_Form::init();
	Parley_Comments_Counts::init();
}
