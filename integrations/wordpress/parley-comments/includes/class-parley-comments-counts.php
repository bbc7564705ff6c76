<?php
/**
 * "N Comments" from Parley.
 *
 * @package Parley_Comments
 */

defined( 'ABSPATH' ) || exit;

/**
 * get_comments_number() answers Parley's approved-comment count: on a post, the count that came
 * with its thread; on the home page and archives, from one request for every post of the main
 * query, made when the query has its posts.
 */
class Parley_Comments_Counts {

	/** The most keys one counts request takes. */
	const BATCH = 100;

	/**
	 * Counts by post ID, for the posts of this request's main query.
	 *
	 * @var array
	 */
	private static $counts = array();

	/**
	 * Hooks the count and its prefetch.
	 */
	public static function init() {
		add_filter( 'the_posts', array( __CLASS__, 'prefetch' ), 10, 2 );
		add_filter( 'get_comments_number', array( __CLASS__, 'number' ), 10, 2 );
	}

	/**
	 * Fetches the counts of a list's posts at once (the main query of the home page or an archive).
	 *
	 * @param WP_Post[] $posts The query's posts.
	 * @param WP_Query  $query The query.
	 * @return WP_Post[] The same posts.
	 */
	public static function prefetch( $posts, $query ) {
		if ( is_admin() || ! $query->is_main_query() || $query->is_singular() || empty( $posts ) ) {
			return $posts;
		}
		$keys = array();
		foreach ( $posts as $post ) {
			$post_id          = is_object( $post ) ? (int) $post->ID : (int) $post;
			$keys[ $post_id ] = Parley_Comments_Settings::article_key( $post_id );
		}
		foreach ( array_chunk( $keys, self::BATCH, true ) as $batch ) {
			$counts = Parley_Comments_Client::counts( array_values( $batch ) );
			foreach ( $batch as $post_id => $key ) {
				if ( isset( $counts[ $key ] ) ) {
					self::$counts[ $post_id ] = (int) $counts[ $key ];
				}
			}
		}
		return $posts;
	}

	/**
	 * Parley's count of a post: the one its thread came with when it is the post shown, the
	 * prefetched one in a list; WordPress's own for any other post (no request of its own).
	 *
	 * @param int|string $count   WordPress's count.
	 * @param int        $post_id The post ID.
	 * @return int|string
	 */
	public static function number( $count, $post_id ) {
		if ( is_admin() ) {
			return $count;
		}
		$post_id = (int) $post_id;
		if ( isset( self::$counts[ $post_id ] ) ) {
			return self::$counts[ $post_id ];
		}
		if ( is_singular() && get_queried_object_id() === $post_id ) {
			$thread = Parley_Comments_Client::thread( Parley_Comments_Settings::article_key( $post_id ) );
			return null === $thread['html'] ? $count : (int) $thread['count'];
		}
		return $count;
	}
}
