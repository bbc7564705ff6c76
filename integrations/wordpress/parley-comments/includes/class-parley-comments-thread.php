<?php
/**
 * The comments area: Parley's thread in place of the theme's comments.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * Puts the plugin's template where the theme's comments.php would be (classic themes) or where the
 * Comments block would render (block themes), and loads Parley's widget to take it over.
 */
class Parley_Comments_Thread {

	/**
	 * Hooks the template, the block and the scripts.
	 */
	public static function init() {
		add_filter( 'comments_template', array( __CLASS__, 'template' ), 20 );
		add_filter( 'render_block', array( __CLASS__, 'render_block' ), 10, 3 );
		add_action( 'wp_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
		add_filter( 'script_loader_tag', array( __CLASS__, 'defer' ), 10, 2 );
		// WordPress's own comments of the post are not shown: no need to read them.
		add_filter( 'comments_template_query_args', array( __CLASS__, 'no_comments_query' ) );
	}

	/**
	 * The plugin's comments template, for every post.
	 *
	 * @return string
	 */
	public static function template() {
		return PARLEY_COMMENTS_DIR . 'templates/comments.php';
	}

	/**
	 * A block theme's Comments block (Twenty Twenty-Three's) never calls comments_template(): its
	 * output is replaced by the same area.
	 *
	 * @param string   $content  The block's HTML.
	 * @param array    $block    The block.
	 * @param WP_Block $instance The block instance, with its post in context.
	 * @return string
	 */
	public static function render_block( $content, $block, $instance = null ) {
		if ( ! isset( $block['blockName'] ) || 'core/comments' !== $block['blockName'] ) {
			return $content;
		}
		$post_id = ( $instance instanceof WP_Block && isset( $instance->context['postId'] ) ) ? (int) $instance->context['postId'] : get_the_ID();
		if ( ! $post_id || post_password_required( $post_id ) ) {
			return $content;
		}
		$previous = $GLOBALS['post'] ?? null;
		// phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- the template tags read the block's post.
		$GLOBALS['post'] = get_post( $post_id );
		setup_postdata( $GLOBALS['post'] );
		ob_start();
		require self::template();
		$html = (string) ob_get_clean();
		// phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- restored.
		$GLOBALS['post'] = $previous;
		if ( $previous instanceof WP_Post ) {
			setup_postdata( $previous );
		}
		return $html;
	}

	/**
	 * Parley's widget (in the footer, deferred) and the few styles the thread needs beside the theme's,
	 * on posts that show comments.
	 */
	public static function enqueue() {
		if ( ! is_singular() ) {
			return;
		}
		wp_enqueue_script( 'parley-comments-widget', Parley_Comments_Settings::get( 'url' ) . '/widget.js', array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion -- Parley serves its own version.
		wp_script_add_data( 'parley-comments-widget', 'strategy', 'defer' );
		wp_enqueue_style( 'parley-comments', plugins_url( 'assets/parley-comments.css', PARLEY_COMMENTS_DIR . 'parley-comments.php' ), array(), PARLEY_COMMENTS_VERSION );
	}

	/**
	 * `defer` on the widget's script tag (WordPress 6.1 has no loading strategies of its own).
	 *
	 * @param string $tag    The script tag.
	 * @param string $handle Its handle.
	 * @return string
	 */
	public static function defer( $tag, $handle ) {
		if ( 'parley-comments-widget' !== $handle || false !== strpos( $tag, ' defer' ) ) {
			return $tag;
		}
		return str_replace( '<script ', '<script defer ', $tag );
	}

	/**
	 * Asks WordPress's comment query for nothing: the thread comes from Parley.
	 *
	 * @param array $args The query's arguments.
	 * @return array
	 */
	public static function no_comments_query( $args ) {
		$args['comment__in'] = array( 0 );
		return $args;
	}

	/**
	 * The area's heading, as WordPress's default themes word it, on Parley's count.
	 *
	 * @param int    $count Approved comments.
	 * @param string $title The post's title.
	 * @return string Plain text.
	 */
	public static function heading( $count, $title ) {
		if ( 1 === $count ) {
			/* translators: %s: Post title. */
			return sprintf( __( 'One thought on &ldquo;%s&rdquo;', 'parley-comments' ), $title );
		}
		return sprintf(
			/* translators: 1: Number of comments, 2: Post title. */
			_n( '%1$s thought on &ldquo;%2$s&rdquo;', '%1$s thoughts on &ldquo;%2$s&rdquo;', $count, 'parley-comments' ),
			number_format_i18n( $count ),
			$title
		);
	}

	/**
	 * The fragment's links are relative to the page (`?replytocom=5#respond`, `?parley_cursor=…`):
	 * right with pretty permalinks, but with plain ones (`/?p=7`) they would drop `p=7` and land on
	 * the home page. Each is written onto the post's own permalink instead.
	 *
	 * @param string $html      The fragment as Parley sent it.
	 * @param string $permalink The post's permalink.
	 * @return string The fragment, its page links absolute.
	 */
	public static function links( $html, $permalink ) {
		$base = esc_url( $permalink );
		$base = ( false === strpos( $permalink, '?' ) ) ? $base . '?' : $base . '&amp;';
		return str_replace( 'href="?', 'href="' . $base, $html );
	}
}
