<?php
/**
 * Parley's answers, fetched on the server and kept in transients.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads Parley's server-rendered thread and its counts. A copy is kept in a transient with its
 * ETag; within the cache seconds a page view asks nothing, after them it asks once, conditionally
 * (304 keeps the copy). A Parley that does not answer leaves the last copy in place.
 */
class Parley_Comments_Client {

	/** Seconds a page waits for Parley before showing what it has. */
	const TIMEOUT = 3;

	/** The most of an answer read: a page of 100 comments is far less. */
	const MAX_BYTES = 4194304;

	/** Comments a page shows: Parley's most. */
	const LIMIT = 100;

	/**
	 * This request's threads, by transient name: however many times a page asks, Parley is asked once.
	 *
	 * @var array
	 */
	private static $threads = array();

	/**
	 * The thread of an article as the page's URL asks for it: its page (`parley_cursor`), and a
	 * reader's own held comment (`unapproved` and `moderation-hash`, WordPress's pair, added to the
	 * URL when Parley sends a reader back after holding their comment). That one is theirs alone: it
	 * is fetched every time and never kept. Dates are in the site's time zone when it has a name.
	 *
	 * @param string $key The article key.
	 * @return array{html: ?string, count: int, open: bool} html is null when there is no copy to show.
	 */
	public static function thread( $key ) {
		$query  = self::page_query();
		$cursor = isset( $query['cursor'] ) ? $query['cursor'] : '';
		$tz     = self::time_zone();
		// The site's language as Parley keeps it: `de` of `de_DE` (a language Parley does not ship is its own setting's).
		$lang = strtolower( substr( (string) get_locale(), 0, 2 ) );
		// Parley keeps one copy per page, zone and language: so does the site.
		$name = 'parley_comments_t_' . md5( $key . '|' . $cursor . '|' . $tz . '|' . $lang );
		if ( isset( self::$threads[ $name ] ) ) {
			return self::$threads[ $name ];
		}
		$params = array( 'limit' => self::LIMIT );
		if ( '' !== $tz ) {
			$params['tz'] = $tz;
		}
		if ( preg_match( '/^[a-z]{2}$/', $lang ) ) {
			$params['lang'] = $lang;
		}
		$url  = self::url( '/api/v1/articles/' . rawurlencode( $key ) . '/comments.html', array_merge( $params, $query ) );
		$copy = get_transient( $name );
		$copy = is_array( $copy ) ? $copy : null;

		if ( isset( $query['unapproved'] ) ) {
			$answer = self::down() ? null : self::get( $url, null );
			$thread = ( null !== $answer && 200 === $answer['status'] ) ? self::thread_of( $answer ) : $copy;
		} else {
			$thread = self::refreshed( $name, $url, $copy, self::just_posted(), array( __CLASS__, 'thread_of' ) );
		}
		$thread = array_merge(
			array(
				'html'  => null,
				'count' => 0,
				'open'  => true,
			),
			is_array( $thread ) ? $thread : array()
		);
		self::$threads[ $name ] = $thread;
		return $thread;
	}

	/**
	 * Approved-comment counts for many articles in one request (GET /api/v1/counts), kept like a thread.
	 *
	 * @param string[] $keys Article keys, at most 100.
	 * @return array Counts by key; empty when Parley has not answered yet.
	 */
	public static function counts( array $keys ) {
		sort( $keys );
		$name  = 'parley_comments_n_' . md5( implode( ',', $keys ) );
		$copy  = get_transient( $name );
		$copy  = is_array( $copy ) ? $copy : null;
		$url   = self::url( '/api/v1/counts', array( 'keys' => implode( ',', $keys ) ) );
		$saved = self::refreshed( $name, $url, $copy, false, array( __CLASS__, 'counts_of' ) );
		return ( is_array( $saved ) && isset( $saved['counts'] ) ) ? $saved['counts'] : array();
	}

	/**
	 * The copy kept under $name, asked for again when it is older than the cache seconds (or the
	 * reader has just posted): conditionally when there is one. Only a 200 or 304 answer is kept: an
	 * error leaves the copy as it was (and stores nothing when there is none), and a Parley that is
	 * down is not asked again within the cache seconds (see down()).
	 *
	 * @param string   $name  The transient.
	 * @param string   $url   What to ask.
	 * @param ?array   $copy  The transient's value.
	 * @param bool     $force Ask even within the cache seconds.
	 * @param callable $parse Makes a copy of a 200 answer.
	 * @return ?array The copy to show.
	 */
	private static function refreshed( $name, $url, $copy, $force, $parse ) {
		$age = null === $copy ? PHP_INT_MAX : time() - (int) $copy['fetched_at'];
		if ( ! $force && $age >= 0 && $age < (int) Parley_Comments_Settings::get( 'cache_seconds' ) ) {
			return $copy;
		}
		if ( self::down() ) {
			return $copy;
		}
		$answer = self::get( $url, null === $copy ? null : $copy['etag'] );
		if ( null !== $answer && 200 === $answer['status'] ) {
			$copy = call_user_func( $parse, $answer );
		} elseif ( null !== $answer && 304 === $answer['status'] && null !== $copy ) {
			if ( '' !== $answer['count'] ) {
				$copy['count'] = (int) $answer['count'];
			}
		} else {
			return $copy;
		}
		$copy['fetched_at'] = time();
		// The expiry only clears forgotten copies away: freshness is fetched_at's.
		set_transient( $name, $copy, WEEK_IN_SECONDS );
		return $copy;
	}

	/**
	 * The breaker's transient: one per Parley URL, so that a new address is asked at once.
	 *
	 * @return string
	 */
	private static function breaker_name() {
		return 'parley_comments_down_' . md5( (string) Parley_Comments_Settings::get( 'url' ) );
	}

	/**
	 * Whether Parley failed (timed out, refused, 5xx, an answer cut off) within the cache seconds:
	 * then nothing is asked of it at all, whatever the URL, and pages show their last copy.
	 *
	 * @return bool
	 */
	private static function down() {
		$seconds = (int) Parley_Comments_Settings::get( 'cache_seconds' );
		if ( $seconds <= 0 ) {
			return false;
		}
		$since = get_transient( self::breaker_name() );
		if ( false === $since ) {
			return false;
		}
		$age = time() - (int) $since;
		return $age >= 0 && $age < $seconds;
	}

	/**
	 * Opens the breaker for the cache seconds.
	 */
	private static function trip() {
		$seconds = (int) Parley_Comments_Settings::get( 'cache_seconds' );
		if ( $seconds > 0 ) {
			set_transient( self::breaker_name(), time(), $seconds );
		}
	}

	/**
	 * A copy of a thread's answer.
	 *
	 * @param array $answer The answer.
	 * @return array
	 */
	public static function thread_of( $answer ) {
		$count = $answer['count'];
		if ( '' === $count && preg_match( '/data-parley-count="(\d+)"/', $answer['body'], $m ) ) {
			$count = $m[1];
		}
		return array(
			'html'  => $answer['body'],
			'etag'  => $answer['etag'],
			'count' => (int) $count,
			'open'  => false === strpos( $answer['body'], 'data-parley-open="0"' ),
		);
	}

	/**
	 * A copy of a counts answer.
	 *
	 * @param array $answer The answer.
	 * @return array
	 */
	public static function counts_of( $answer ) {
		$json   = json_decode( $answer['body'], true );
		$counts = array();
		if ( is_array( $json ) && isset( $json['counts'] ) && is_array( $json['counts'] ) ) {
			foreach ( $json['counts'] as $key => $count ) {
				$counts[ (string) $key ] = (int) $count;
			}
		}
		return array(
			'counts' => $counts,
			'etag'   => $answer['etag'],
		);
	}

	/**
	 * One GET to Parley; null when it did not answer usefully (refused, timed out, 5xx, an answer
	 * longer than MAX_BYTES, anything but 200 and 304), without a warning on the page. A failure of
	 * Parley's (not a 4xx, an answer about the request) opens the breaker.
	 *
	 * @param string  $url  The URL.
	 * @param ?string $etag The copy's ETag, for If-None-Match.
	 * @return ?array{status: int, body: string, etag: string, count: string}
	 */
	private static function get( $url, $etag ) {
		$headers = array( 'Accept' => 'text/html, application/json' );
		if ( null !== $etag && '' !== $etag ) {
			$headers['If-None-Match'] = $etag;
		}
		// The transport stops keeping the body at limit_response_size without saying so (and a chunked
		// body is then decoded from what was kept): its progress hook, which sees every block it reads
		// with the bytes kept so far and the limit, tells whether the answer was cut off.
		$truncated = false;
		$progress  = function ( $block, $size, $limit ) use ( &$truncated ) {
			if ( $limit && $size + strlen( (string) $block ) > $limit ) {
				$truncated = true;
			}
		};
		add_action( 'requests-request.progress', $progress, 10, 3 );
		$response = wp_remote_get(
			$url,
			array(
				'timeout'             => self::TIMEOUT,
				'redirection'         => 0,
				'limit_response_size' => self::MAX_BYTES,
				'headers'             => $headers,
				'user-agent'          => 'ParleyComments/' . PARLEY_COMMENTS_VERSION . '; ' . home_url( '/' ),
			)
		);
		remove_action( 'requests-request.progress', $progress, 10 );
		if ( is_wp_error( $response ) ) {
			/**
			 * Fires when Parley did not answer; the page shows its last copy.
			 *
			 * @param WP_Error $error What went wrong.
			 * @param string   $url   The URL asked.
			 */
			do_action( 'parley_comments_unavailable', $response, $url );
			self::trip();
			return null;
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		if ( 200 !== $status && 304 !== $status ) {
			do_action( 'parley_comments_unavailable', new WP_Error( 'parley_comments_status', 'HTTP ' . $status ), $url );
			if ( $status >= 500 ) {
				self::trip();
			}
			return null;
		}
		$body = (string) wp_remote_retrieve_body( $response );
		// Cut off, its closing tags are lost: shown, the rest of the theme would nest in the thread.
		if ( $truncated || strlen( $body ) > self::MAX_BYTES ) {
			do_action( 'parley_comments_unavailable', new WP_Error( 'parley_comments_too_large', 'Answer larger than ' . self::MAX_BYTES . ' bytes' ), $url );
			self::trip();
			return null;
		}
		return array(
			'status' => $status,
			'body'   => $body,
			'etag'   => (string) wp_remote_retrieve_header( $response, 'etag' ),
			'count'  => (string) wp_remote_retrieve_header( $response, 'parley-comment-count' ),
		);
	}

	/**
	 * A URL on Parley.
	 *
	 * @param string $path  The path.
	 * @param array  $query Its query.
	 * @return string
	 */
	private static function url( $path, $query ) {
		return Parley_Comments_Settings::get( 'url' ) . $path . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
	}

	/**
	 * The page of the thread the URL asks for: a `parley_cursor` exactly as Parley gives them out,
	 * or '' (page 1) for anything else.
	 *
	 * @return string
	 */
	public static function cursor() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- read-only, and checked against Parley's exact format.
		$cursor = isset( $_GET['parley_cursor'] ) ? wp_unslash( $_GET['parley_cursor'] ) : '';
		return ( is_string( $cursor ) && 1 === preg_match( '/^[0-9a-z]{1,12}\.[0-9a-z]{1,8}$/', $cursor ) ) ? $cursor : '';
	}

	/**
	 * The site's time zone for Parley's dates: WordPress's timezone_string when it is a zone name
	 * (Parley takes IANA names and UTC only), '' (Parley's UTC) for a manual offset such as +05:30.
	 *
	 * @return string
	 */
	public static function time_zone() {
		$tz = wp_timezone_string();
		return 1 === preg_match( '~^[A-Za-z][A-Za-z0-9_+/-]{0,63}$~', $tz ) ? $tz : '';
	}

	/**
	 * What the page's URL passes on to Parley: the page of the thread, and a reader's held comment
	 * when the pair looks like one Parley gives out (an id, a 20-hex-digit hash).
	 *
	 * @return array
	 */
	private static function page_query() {
		$query  = array();
		$cursor = self::cursor();
		if ( '' !== $cursor ) {
			$query['cursor'] = $cursor;
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- read-only, and checked against Parley's exact formats.
		$unapproved = isset( $_GET['unapproved'] ) ? wp_unslash( $_GET['unapproved'] ) : '';
		$hash       = isset( $_GET['moderation-hash'] ) ? wp_unslash( $_GET['moderation-hash'] ) : '';
		// phpcs:enable
		if ( is_string( $unapproved ) && is_string( $hash ) && 1 === preg_match( '/^[1-9]\d{0,9}$/', $unapproved ) && 1 === preg_match( '/^[0-9a-f]{20}$/', $hash ) ) {
			$query['unapproved']      = $unapproved;
			$query['moderation-hash'] = $hash;
		}
		return $query;
	}

	/**
	 * Whether Parley has just sent the reader back after publishing their comment: the form's
	 * redirect_to marks it, so the page asks Parley (conditionally) instead of showing a copy from
	 * before the comment.
	 *
	 * @return bool
	 */
	public static function just_posted() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only: ask Parley again.
		return isset( $_GET['parley_posted'] );
	}
}
