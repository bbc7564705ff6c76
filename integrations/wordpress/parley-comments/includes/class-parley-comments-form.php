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
	 * The Parley comment the form replies to (?replytocom=), once read; null before.
	 *
	 * @var ?int
	 */
	private static $reply_to = null;

	/**
	 * Hooks the form.
	 */
	public static function init() {
		// Before WordPress or a template reads the query string.
		add_action( 'init', array( __CLASS__, 'clean_query' ), 0 );
		// WordPress's unfiltered-HTML nonce is WordPress's business, not Parley's.
		remove_action( 'comment_form', 'wp_comment_form_unfiltered_html_nonce' );
		add_filter( 'cancel_comment_reply_link', array( __CLASS__, 'cancel_link' ) );
		add_filter( 'comment_form_defaults', array( __CLASS__, 'defaults' ), 20 );
		add_filter( 'comment_form_fields', array( __CLASS__, 'fields' ) );
		add_filter( 'comment_id_fields', array( __CLASS__, 'id_fields' ), 10, 2 );
		add_action( 'comment_form', array( __CLASS__, 'hidden_fields' ) );
		add_action( 'comment_form_logged_in_after', array( __CLASS__, 'logged_in_fields' ) );
		add_action( 'pre_comment_on_post', array( __CLASS__, 'refuse_wordpress_comment' ) );
		add_filter( 'wp_headers', array( 'Parley_Comments_Identity', 'headers' ) );
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
			// WordPress would name the comment from its own table: the name is Parley's. render()
			// hides ?replytocom= from comment_form_title(), which then echoes title_reply as it is.
			if ( null !== $to ) {
				/* translators: %s: Author of the comment being replied to. */
				$defaults['title_reply'] = sprintf( __( 'Leave a Reply to %s', 'parley-comments' ), '<a href="#comment-' . esc_attr( $to['anchor'] ) . '">' . esc_html( $to['name'] ) . '</a>' );
			}
			// For a theme that prints title_reply_to itself (printf()ed, hence the doubled percent signs).
			$defaults['title_reply_to'] = str_replace( '%', '%%', $defaults['title_reply'] );
		}
		return $defaults;
	}

	/**
	 * The theme's comment_form() on a Parley page. WordPress's comment_form_title() takes the comment
	 * in ?replytocom= from its own table (another comment, or none, of the same id): the query value
	 * is hidden from it while the form is printed, and the title is the plugin's (defaults()). Not
	 * replying, the heading holds its title alone.
	 *
	 * @param array $args comment_form()'s arguments.
	 */
	public static function render( $args ) {
		if ( 0 === self::reply_to() && get_option( 'thread_comments' ) ) {
			// WordPress prints its hidden "Cancel reply" link (for comment-reply.js and the widget)
			// inside the heading, whose text then says more than "Leave a Reply": it follows it instead.
			$args['cancel_reply_before'] = ( isset( $args['title_reply_after'] ) ? $args['title_reply_after'] : '</h3>' ) . ' <small>';
			$args['title_reply_after']   = '';
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput -- put back as it was.
		$had   = isset( $_GET['replytocom'] );
		$value = $had ? $_GET['replytocom'] : null;
		unset( $_GET['replytocom'] );
		try {
			comment_form( $args );
		} finally {
			if ( $had ) {
				$_GET['replytocom'] = $value;
			}
		}
		// phpcs:enable
	}

	/**
	 * WordPress hides its "Cancel reply" link when the URL has no ?replytocom=, which render() hides:
	 * shown when the form replies to a Parley comment.
	 *
	 * @param string $link The link.
	 * @return string
	 */
	public static function cancel_link( $link ) {
		return self::reply_to() > 0 ? str_replace( ' style="display:none;"', '', $link ) : $link;
	}

	/**
	 * Drops query values that WordPress or the plugin would read wrongly, before either reads them:
	 * arrays in unapproved, moderation-hash, replytocom and parley_cursor (WordPress 6.1 passes an
	 * array moderation-hash to hash_equals(), a fatal error), and a replytocom that is not a Parley
	 * comment id (WordPress would title the form with a comment of its own table).
	 */
	public static function clean_query() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput -- only checks types and drops.
		foreach ( array( 'unapproved', 'moderation-hash', 'replytocom', 'parley_cursor' ) as $name ) {
			if ( isset( $_GET[ $name ] ) && ! is_string( $_GET[ $name ] ) ) {
				unset( $_GET[ $name ] );
			}
			if ( isset( $_REQUEST[ $name ] ) && ! is_string( $_REQUEST[ $name ] ) ) {
				unset( $_REQUEST[ $name ] );
			}
		}
		if ( isset( $_GET['replytocom'] ) && 0 === self::reply_to() ) {
			if ( isset( $_REQUEST['replytocom'] ) && $_REQUEST['replytocom'] === $_GET['replytocom'] ) {
				unset( $_REQUEST['replytocom'] );
			}
			unset( $_GET['replytocom'] );
		}
		// phpcs:enable
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
	 * copy kept from before the comment, and the page of the thread the form is on (parley_cursor),
	 * where a reply to one of its comments shows.
	 *
	 * @param int $post_id The post ID.
	 */
	public static function hidden_fields( $post_id ) {
		$permalink = get_permalink( $post_id );
		$back      = array( 'parley_posted' => '1' );
		$cursor    = Parley_Comments_Client::cursor();
		if ( '' !== $cursor ) {
			$back = array_merge( array( 'parley_cursor' => $cursor ), $back );
		}
		printf(
			'<input type="hidden" name="redirect_to" value="%1$s" />' . "\n" .
			'<input type="hidden" name="parley_article_url" value="%2$s" />' . "\n" .
			'<input type="hidden" name="parley_article_title" value="%3$s" />' . "\n",
			esc_url( add_query_arg( $back, $permalink ) ),
			esc_url( $permalink ),
			esc_attr( wp_strip_all_tags( get_the_title( $post_id ) ) )
		);
	}

	/**
	 * A signed-in user's form has no name and email fields; Parley asks for them, so they go hidden.
	 * With an identity secret the form carries the user's signed token too (parley_identity), and
	 * Parley takes the comment as the account's: the page then goes out with no-store (Identity::headers).
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
		$token = Parley_Comments_Identity::token( $user );
		if ( '' !== $token ) {
			printf( '<input type="hidden" name="parley_identity" value="%s" />' . "\n", esc_attr( $token ) );
		}
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
		if ( null === self::$reply_to ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- read-only, and checked to be digits.
			$id             = isset( $_GET['replytocom'] ) ? wp_unslash( $_GET['replytocom'] ) : '';
			self::$reply_to = ( is_string( $id ) && 1 === preg_match( '/^[1-9]\d{0,9}$/', $id ) ) ? (int) $id : 0;
		}
		return self::$reply_to;
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
