<?php
/**
 * The theme's comment form, posted to Parley.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * Keeps the theme's comment_form() and WordPress's field names, and points the form at Parley's
 * POST /comment-form: the article key as comment_post_ID, the Parley comment replied to as
 * comment_parent, the post's address and title for Parley to register the article with.
 * WordPress's own wp-comments-post.php takes nothing for these posts.
 */
class Parley_Comments_Form {

	/**
	 * Hooks the form.
	 */
	public static function init() {
		add_filter( 'comment_form_defaults', array( __CLASS__, 'defaults' ), 20 );
		add_filter( 'comment_form_fields', array( __CLASS__, 'fields' ) );
		add_filter( 'comment_id_fields', array( __CLASS__, 'id_fields' ), 10, 2 );
		add_action( 'comment_form', array( __CLASS__, 'hidden_fields' ) );
		add_action( 'comment_form_logged_in_after', array( __CLASS__, 'logged_in_fields' ) );
		add_action( 'pre_comment_on_post', array( __CLASS__, 'refuse_wordpress_comment' ) );
	}

	/**
	 * The form posts to Parley; a reply names the comment replied to, which WordPress does not know.
	 *
	 * @param array $defaults comment_form()'s defaults.
	 * @return array
	 */
	public static function defaults( $defaults ) {
		$defaults['action'] = Parley_Comments_Settings::get( 'url' ) . '/comment-form';
		$parent             = self::reply_to();
		if ( $parent > 0 ) {
			$to = self::replied_to( $parent );
			// WordPress would name the comment from its own table ("Anonymous"): the name is Parley's.
			// comment_form_title() printf()s this, hence the doubled percent signs.
			$defaults['title_reply_to'] = null === $to
				? $defaults['title_reply']
				/* translators: %s: Author of the comment being replied to. */
				: sprintf( __( 'Leave a Reply to %s', 'parley-comments' ), '<a href="#comment-' . esc_attr( $to['anchor'] ) . '">' . esc_html( $to['name'] ) . '</a>' );
			$defaults['title_reply_to'] = str_replace( '%', '%%', $defaults['title_reply_to'] );
		}
		return $defaults;
	}

	/**
	 * Without WordPress's cookies-consent checkbox: Parley sets no cookies.
	 *
	 * @param array $fields The form's fields.
	 * @return array
	 */
	public static function fields( $fields ) {
		unset( $fields['cookies'] );
		return $fields;
	}

	/**
	 * comment_post_ID is the article key; comment_parent the Parley comment in ?replytocom=.
	 *
	 * @param string $html    WordPress's two hidden fields.
	 * @param int    $post_id The post ID.
	 * @return string
	 */
	public static function id_fields( $html, $post_id ) {
		return sprintf(
			"<input type='hidden' name='comment_post_ID' value='%1\$s' id='comment_post_ID' />\n<input type='hidden' name='comment_parent' id='comment_parent' value='%2\$d' />\n",
			esc_attr( Parley_Comments_Settings::article_key( $post_id ) ),
			self::reply_to()
		);
	}

	/**
	 * Where Parley sends the reader back, and the article it registers on a first comment.
	 * redirect_to carries parley_posted, so that the page asks Parley again rather than showing a
	 * copy kept from before the comment.
	 *
	 * @param int $post_id The post ID.
	 */
	public static function hidden_fields( $post_id ) {
		$permalink = get_permalink( $post_id );
		printf(
			'<input type="hidden" name="redirect_to" value="%1$s" />' . "\n" .
			'<input type="hidden" name="parley_article_url" value="%2$s" />' . "\n" .
			'<input type="hidden" name="parley_article_title" value="%3$s" />' . "\n",
			esc_url( add_query_arg( 'parley_posted', '1', $permalink ) ),
			esc_url( $permalink ),
			esc_attr( wp_strip_all_tags( get_the_title( $post_id ) ) )
		);
	}

	/**
	 * A signed-in user's form has no name and email fields; Parley asks for them, so they go hidden.
	 */
	public static function logged_in_fields() {
		$user = wp_get_current_user();
		if ( ! $user->exists() ) {
			return;
		}
		printf(
			'<input type="hidden" name="author" value="%1$s" /><input type="hidden" name="email" value="%2$s" /><input type="hidden" name="url" value="%3$s" />' . "\n",
			esc_attr( $user->display_name ),
			esc_attr( $user->user_email ),
			esc_url( $user->user_url )
		);
	}

	/**
	 * WordPress's own comment handler takes no comment: they are Parley's now.
	 *
	 * @param int $post_id The post commented on.
	 */
	public static function refuse_wordpress_comment( $post_id ) {
		wp_die(
			esc_html__( 'Comments on this site are handled by Parley: please use the comment form on the post.', 'parley-comments' ),
			esc_html__( 'Comment Submission Failure', 'parley-comments' ),
			array(
				'response'  => 403,
				'back_link' => true,
				'link_url'  => esc_url( get_permalink( $post_id ) ),
				'link_text' => esc_html( get_the_title( $post_id ) ),
			)
		);
	}

	/**
	 * The Parley comment in ?replytocom=, or 0.
	 *
	 * @return int
	 */
	private static function reply_to() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only: which comment the form answers.
		$id = isset( $_GET['replytocom'] ) ? sanitize_text_field( wp_unslash( $_GET['replytocom'] ) ) : '';
		return 1 === preg_match( '/^[1-9]\d{0,9}$/', $id ) ? (int) $id : 0;
	}

	/**
	 * The name and anchor of the comment replied to, from its reply link in the thread the page shows
	 * (no request of its own), or null when that page of the thread does not hold it.
	 *
	 * @param int $id The Parley comment ID.
	 * @return ?array{name: string, anchor: string}
	 */
	private static function replied_to( $id ) {
		$thread = Parley_Comments_Client::thread( Parley_Comments_Settings::article_key( get_the_ID() ) );
		if ( null === $thread['html'] || ! preg_match_all( '/<a\s[^>]*class="comment-reply-link"[^>]*>/', $thread['html'], $links ) ) {
			return null;
		}
		foreach ( $links[0] as $link ) {
			if ( ! preg_match( '/\sdata-commentid="' . $id . '"/', $link ) ) {
				continue;
			}
			$name   = preg_match( '/\sdata-replyto="([^"]*)"/', $link, $m ) ? html_entity_decode( $m[1], ENT_QUOTES | ENT_HTML5, 'UTF-8' ) : '';
			$anchor = preg_match( '/\sdata-belowelement="div-comment-([^"]*)"/', $link, $m ) ? html_entity_decode( $m[1], ENT_QUOTES | ENT_HTML5, 'UTF-8' ) : (string) $id;
			// "Reply to Name", as WordPress words data-replyto; the name alone goes in the heading.
			$prefix = 'Reply to ';
			$name   = 0 === strpos( $name, $prefix ) ? substr( $name, strlen( $prefix ) ) : $name;
			return '' === $name ? null : array(
				'name'   => $name,
				'anchor' => $anchor,
			);
		}
		return null;
	}
}
